package dev.danet.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an uploaded image from a request body: the raw bytes (curl --data-binary, the web
 * page's fetch) or the file part of a multipart/form-data body (curl -F image=@photo.jpg, an
 * HTML form). Never reads more than the limit, whatever the Content-Length says.
 */
final class Uploads {

    /** An upload: a name for messages and the file's bytes. */
    record Upload(String name, byte[] bytes) {}

    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FIELD = Pattern.compile("\\bname=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILENAME = Pattern.compile("\\bfilename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    private Uploads() {}

    /** Refuses a body that announces more bytes than the limit, before anything is read. */
    static void checkLength(long contentLength, long maxBytes) {
        if (contentLength > maxBytes) {
            throw HttpProblem.tooLarge("upload is " + contentLength + " bytes, more than the limit of " + maxBytes
                    + " bytes");
        }
    }

    /**
     * The upload in the body; {@code name} (the client's file name, e.g. from ?name=, may be null)
     * names a raw body in messages, a multipart part carries its own.
     */
    static Upload read(InputStream body, String contentType, long maxBytes, String name) {
        byte[] bytes;
        try {
            bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw HttpProblem.badRequest("could not read the upload: " + e.getMessage());
        }
        if (bytes.length > maxBytes) {
            throw HttpProblem.tooLarge("upload is more than the limit of " + maxBytes + " bytes");
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        Upload upload = type.startsWith("multipart/form-data") ? filePart(bytes, contentType)
                : new Upload(name == null ? "upload" : displayName(name), bytes);
        if (upload.bytes().length == 0) {
            throw HttpProblem.badRequest(upload.name() + ": the upload is empty (0 bytes); send an image file");
        }
        return upload;
    }

    /** The part named "image", else the first part that carries a file name. */
    private static Upload filePart(byte[] body, String contentType) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw HttpProblem.badRequest("multipart upload without a boundary in its Content-Type");
        }
        byte[] delimiter = ("--" + (m.group(1) != null ? m.group(1) : m.group(2))).getBytes(StandardCharsets.ISO_8859_1);
        Upload fallback = null;
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int headersStart = at + delimiter.length;
            if (headersStart + 1 < body.length && body[headersStart] == '-' && body[headersStart + 1] == '-') {
                break; // closing delimiter
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                break;
            }
            int next = indexOf(body, delimiter, headersEnd + 4);
            if (next < 0) {
                throw HttpProblem.badRequest("multipart upload is cut short (no closing boundary)");
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int dataEnd = next >= 2 && body[next - 2] == '\r' && body[next - 1] == '\n' ? next - 2 : next;
            byte[] data = java.util.Arrays.copyOfRange(body, headersEnd + 4, Math.max(headersEnd + 4, dataEnd));
            Matcher field = FIELD.matcher(headers);
            Matcher file = FILENAME.matcher(headers);
            String name = file.find() ? displayName(file.group(1)) : "upload";
            if (field.find() && field.group(1).equals("image")) {
                return new Upload(name, data);
            }
            if (fallback == null && FILENAME.matcher(headers).find()) {
                fallback = new Upload(name, data);
            }
            at = next;
        }
        if (fallback == null) {
            throw HttpProblem.badRequest("multipart upload has no file part; send the image as the field 'image'"
                    + " (curl -F image=@photo.jpg) or as the raw body");
        }
        return fallback;
    }

    /** A client's file name made safe for messages: last path segment, printable, short. */
    static String displayName(String fileName) {
        String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1)
                .replaceAll("[^\\p{Print}]", "?");
        if (base.isBlank()) {
            return "upload";
        }
        return base.length() > 80 ? base.substring(0, 80) + "..." : base;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
