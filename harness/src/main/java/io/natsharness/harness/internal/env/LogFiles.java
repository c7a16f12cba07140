package io.natsharness.harness.internal.env;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** Reading the end of a server log without loading a large file. */
public final class LogFiles {

    private static final int MAX_TAIL_BYTES = 64 * 1024;

    private LogFiles() {
    }

    /** The last {@code lines} lines of {@code file}; a note instead when the file is missing or unreadable. */
    public static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no log yet at " + file + ")";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, MAX_TAIL_BYTES);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            return lastLines(new String(bytes, StandardCharsets.UTF_8), lines);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines of {@code text}. */
    public static String lastLines(String text, int lines) {
        Deque<String> kept = new ArrayDeque<>();
        for (String line : text.split("\n", -1)) {
            kept.addLast(line);
            if (kept.size() > lines + 1) {
                kept.removeFirst();
            }
        }
        if (!kept.isEmpty() && kept.peekLast().isEmpty()) {
            kept.removeLast(); // the file's final newline
        }
        while (kept.size() > lines) {
            kept.removeFirst();
        }
        return String.join("\n", kept);
    }
}
