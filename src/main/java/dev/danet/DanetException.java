package dev.danet;

/**
 * An error the user can cause and fix: a bad file, a wrong flag, a mismatched checkpoint.
 * Its message names the file or value and what to do; the CLI prints it alone and exits
 * non-zero, without a stack trace. The message is always one line: line breaks and other
 * control characters (which a crafted file can smuggle into a quoted name) become spaces.
 */
public class DanetException extends RuntimeException {

    public DanetException(String message) {
        super(oneLine(message));
    }

    public DanetException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u0085]+", " ");
    }
}
