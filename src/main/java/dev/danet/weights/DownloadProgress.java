package dev.danet.weights;

/** Hears how a download goes; the CLI shows it as a progress bar. */
public interface DownloadProgress {

    /** Nothing shown. */
    DownloadProgress NONE = new DownloadProgress() {};

    /**
     * The transfer starts.
     *
     * @param have bytes already on disk from an earlier, interrupted try
     * @param total the whole file's size, or -1 when the server does not say
     */
    default void started(long have, long total) {}

    /** Bytes on disk so far, this try's and earlier ones'. */
    default void advanced(long bytes) {}

    /** The transfer ended, whether or not it succeeded. */
    default void stopped() {}
}
