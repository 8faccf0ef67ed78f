package dev.danet.io;

import java.util.zip.ZipEntry;

/**
 * What a zip entry says about its size, and whether to believe it before reading it. The zip
 * directory's sizes are only claims: a crafted entry of a megabyte can really inflate to a
 * gigabyte of zeros (deflate reaches about 1000:1), and a reader that trusts the claim pays for
 * it before it can check anything. Weights and pickles compress far less than 100:1 (random
 * floats hardly at all), so an entry beyond a megabyte that claims more is refused, as is one
 * that claims more compressed bytes than the whole archive has. PyTorch stores its entries
 * uncompressed and this project deflates its own, both well within that.
 *
 * @param size the uncompressed size the zip directory records (-1 when unknown)
 * @param compressed the compressed size it records (-1 when unknown)
 * @param archive the size of the whole zip file
 */
public record ZipEntrySize(long size, long compressed, long archive) {

    /** The largest size:compressed ratio believed for entries above {@link #SMALL}. */
    public static final long MAX_RATIO = 100;
    /** Entries up to this size are believed whatever their ratio. */
    public static final long SMALL = 1L << 20;

    public static ZipEntrySize of(ZipEntry entry, long archive) {
        return new ZipEntrySize(entry.getSize(), entry.getCompressedSize(), archive);
    }

    /** Whether both sizes are known, the compressed one fits the archive, and the ratio is believable. */
    public boolean plausible() {
        return size >= 0 && compressed >= 0 && compressed <= archive
                && (size <= SMALL || (compressed > 0 && size / compressed < MAX_RATIO));
    }

    /** For messages: the claim, and what is wrong with it when it is not plausible. */
    public String describe() {
        if (size < 0 || compressed < 0) {
            return "does not record its size";
        }
        String claim = "claims " + size + " bytes from " + compressed;
        if (compressed > archive) {
            return claim + ", but the whole file has " + archive + " (truncated or corrupt)";
        }
        return plausible() ? claim : claim + " (more than " + MAX_RATIO
                + ":1; not a file this tool or PyTorch writes)";
    }
}
