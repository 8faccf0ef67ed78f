package dev.danet.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A folder on any Hadoop file system that files are committed into by rename: each file is
 * written under a temporary name unique to the task attempt, then renamed over its final
 * name. A task that dies leaves at most a temporary file, never a partial output, and the job
 * removes such files once every task is done ({@link #removeTemporaries}); a retried task, or a
 * re-run into the same folder, replaces the file with the same content.
 */
final class OutputFolder {

    private final FileSystem fs;
    private final Path root;

    OutputFolder(String root, HadoopSettings hadoop) {
        try {
            this.root = new Path(root);
            this.fs = this.root.getFileSystem(hadoop.toConfiguration());
            // The local file system would add a .crc file beside every output.
            fs.setWriteChecksum(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + root, e);
        }
    }

    /**
     * Removes the temporary files of attempts that died mid-write (a killed task's); call it once
     * every task has finished, when any temporary file left is one nobody will rename.
     *
     * @return how many were removed
     */
    int removeTemporaries() {
        int removed = 0;
        try {
            if (!fs.exists(root)) {
                return 0;
            }
            var files = fs.listFiles(root, true);
            while (files.hasNext()) {
                Path file = files.next().getPath();
                if (file.getName().startsWith(".") && file.getName().endsWith(".tmp") && fs.delete(file, false)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return removed;
    }

    /** Writes bytes to root/relative, committed by rename; attempt names this try's temporary file. */
    void write(String relative, byte[] bytes, long attempt) {
        Path target = new Path(root, relative);
        Path temporary = new Path(target.getParent(), "." + target.getName() + "." + attempt + ".tmp");
        try {
            try (OutputStream out = fs.create(temporary, true)) {
                out.write(bytes);
            }
            // HDFS's rename does not replace: an earlier run's (or attempt's) file goes first.
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(temporary, target)) {
                throw new IOException("rename to " + target + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
