package dev.danet.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files, and the check against a full published hash or a published prefix. */
public final class Sha256 {

    private Sha256() {}

    /** The file's SHA-256 as 64 lowercase hex digits. */
    public static String of(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Whether a full hash agrees with the published one: equal, or, for a published prefix
     * (mmseg's and torchvision's file names carry the first 8 hex digits), starting with it.
     */
    public static boolean matches(String actual, String published) {
        return published != null && actual.startsWith(published);
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
