package dev.danet;

/**
 * An error the user can cause and fix: a bad file, a wrong flag, a mismatched checkpoint.
 * Its message names the file or value and what to do; the CLI prints it alone and exits
 * non-zero, without a stack trace.
 */
public class DanetException extends RuntimeException {

    public DanetException(String message) {
        super(message);
    }

    public DanetException(String message, Throwable cause) {
        super(message, cause);
    }
}
