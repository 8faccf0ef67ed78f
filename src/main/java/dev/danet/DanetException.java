package dev.danet;

/**
 * An error the user can cause and fix: a bad file, a wrong flag, a mismatched checkpoint.
 * Its message names the file or value and what to do; the CLI prints it alone and exits
 * non-zero, without a stack trace. The message is always one line: line breaks and other
 * control characters (which a crafted file can smuggle into a quoted name) become spaces.
 */
public class DanetException extends RuntimeException {

    /**
     * An error with its one-line message.
     *
     * @param message what is wrong, naming the file or value, and the fix
     */
    public DanetException(String message) {
        super(oneLine(message));
    }

    /**
     * An error with its one-line message and the exception behind it.
     *
     * @param message what is wrong, naming the file or value, and the fix
     * @param cause the underlying failure
     */
    public DanetException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u0085]+", " ");
    }
}
