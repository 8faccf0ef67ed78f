package dev.danet.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/**
 * A request body that must arrive within a time limit, counted from when its reading starts.
 * An idle timeout alone does not bound it: a sender that trickles one byte every few seconds
 * resets it forever. Here each read may wait only for the time left (given to the connection
 * as its idle timeout before the read) and a read past the deadline is refused: either way the
 * request gets a 408 problem.
 */
final class TimedBody extends InputStream {

    private final InputStream body;
    private final Duration limit;
    private final long deadline;
    private final LongConsumer waitAtMost;

    /**
     * @param body the request body
     * @param limit the time the whole body may take
     * @param waitAtMost sets how many milliseconds the next read may wait for data
     */
    TimedBody(InputStream body, Duration limit, LongConsumer waitAtMost) {
        this.body = body;
        this.limit = limit;
        this.deadline = System.nanoTime() + limit.toNanos();
        this.waitAtMost = waitAtMost;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        waitAtMost.accept(millisLeft());
        try {
            int n = body.read(buffer, offset, length);
            millisLeft(); // data that came after the deadline does not count
            return n;
        } catch (IOException e) {
            if (isTimeout(e)) {
                throw timedOut();
            }
            throw e;
        }
    }

    /** Milliseconds until the deadline, at least 1; a 408 problem once it has passed. */
    private long millisLeft() {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw timedOut();
        }
        return left;
    }

    private HttpProblem timedOut() {
        return HttpProblem.timeout("the request body did not arrive within " + limit.toSeconds()
                + " s; send it at once (the limit is this server's body timeout)");
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }
}
