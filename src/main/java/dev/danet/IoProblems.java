package dev.danet;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The reason an I/O operation failed, in words. Java's file exceptions often carry only the path
 * as their message ("cannot write: out/x.png" says nothing), the reason being the exception's
 * type or its separate reason field.
 */
public final class IoProblems {

    private IoProblems() {}

    /** E.g. "permission denied", "no such file or directory", "No space left on device". */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            String kind = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof NotDirectoryException ? "not a directory"
                    : e instanceof DirectoryNotEmptyException ? "directory not empty"
                    : null;
            String reason = fs.getReason() != null ? fs.getReason() : kind;
            if (reason == null) {
                reason = e.getClass().getSimpleName();
            }
            // These usually concern another path than the one the caller names: a parent folder
            // that is a file, say.
            boolean otherPath = e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException;
            return otherPath && fs.getFile() != null ? fs.getFile() + ": " + reason : reason;
        }
        return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.getClass().getSimpleName();
    }
}
