package dev.danet.serve;

/**
 * A request the service refuses, with the HTTP status and the one-line message the client
 * gets as JSON ({"error": ..., "status": ...}).
 */
public final class HttpProblem extends RuntimeException {

    private final int status;

    public HttpProblem(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static HttpProblem badRequest(String message) {
        return new HttpProblem(400, message);
    }

    static HttpProblem unauthorized(String message) {
        return new HttpProblem(401, message);
    }

    static HttpProblem notFound(String message) {
        return new HttpProblem(404, message);
    }

    static HttpProblem timeout(String message) {
        return new HttpProblem(408, message);
    }

    static HttpProblem tooLarge(String message) {
        return new HttpProblem(413, message);
    }

    static HttpProblem busy(String message) {
        return new HttpProblem(503, message);
    }
}
