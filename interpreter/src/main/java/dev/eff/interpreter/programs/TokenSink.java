package dev.eff.interpreter.programs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Where {@code generate} puts its tokens as it chooses them: each byte with the exit whose logits chose it (1 … blocks;
 * 0 when decoding had no early exit), then {@link #end}.
 */
public interface TokenSink {
    void token(int token, int exit);

    /** After the last token: the text ends with a newline. */
    void end();

    /** The bytes as they are, to {@code out}. */
    static TokenSink plain(OutputStream out) {
        return new TokenSink() {
            @Override public void token(int token, int exit) { write(out, new byte[] {(byte) token}); }

            @Override public void end() { write(out, new byte[] {'\n'}); }
        };
    }

    /** Writes and flushes, so each token shows as it comes. */
    static void write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
