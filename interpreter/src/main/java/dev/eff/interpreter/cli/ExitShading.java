package dev.eff.interpreter.cli;

import dev.eff.interpreter.programs.TokenSink;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Generated text on a terminal with each token's background shaded by the block it exited at, on a ramp of the
 * xterm 256-colour cube from blue (the first exit: the cheapest tokens) to red (the last: every block ran), white text
 * on it; a legend line first. The bytes are UTF-8: a colour change is only written before the first byte of a
 * character, never inside one, and the colour is reset before every newline (so a background does not fill the rest of
 * the line) and at the end.
 */
final class ExitShading implements TokenSink {
    static final String RESET = "\u001b[0m";

    private final OutputStream out;
    private final int blocks;
    private int current = -1;

    ExitShading(OutputStream out, int blocks) {
        this.out = out;
        this.blocks = blocks;
    }

    /** The 256-colour index of exit {@code exit} of {@code blocks}: 16 + 36·r + 6·g + b with r rising and b falling. */
    static int colour(int exit, int blocks) {
        double f = blocks <= 1 ? 1 : (exit - 1) / (double) (blocks - 1);
        int r = (int) Math.round(5 * f), b = (int) Math.round(5 * (1 - f));
        return 16 + 36 * r + 6 + b;
    }

    static String style(int exit, int blocks) {
        return "\u001b[48;5;" + colour(exit, blocks) + ";38;5;15m";
    }

    /** {@code exit block: 1 2 3 4} with every number on its shade, and a newline. */
    static String legend(int blocks) {
        StringBuilder s = new StringBuilder("exit block:");
        for (int k = 1; k <= blocks; k++) s.append(' ').append(style(k, blocks)).append(' ').append(k).append(' ').append(RESET);
        return s.append('\n').toString();
    }

    /** Writes the legend; call once before the first token. */
    ExitShading start() {
        TokenSink.write(out, legend(blocks).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** The bytes that show {@code token} (a byte of UTF-8 text) shaded for {@code exit}. */
    byte[] render(int token, int exit) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        boolean continuation = (token & 0xC0) == 0x80;
        if (token == '\n') {
            if (current >= 0) b.writeBytes(RESET.getBytes(StandardCharsets.US_ASCII));
            current = -1;
        } else if (!continuation && exit != current && exit > 0) {
            b.writeBytes(style(exit, blocks).getBytes(StandardCharsets.US_ASCII));
            current = exit;
        }
        b.write(token);
        return b.toByteArray();
    }

    /** The bytes that end the text: the colour reset, and a newline. */
    byte[] ending() {
        String end = (current >= 0 ? RESET : "") + "\n";
        current = -1;
        return end.getBytes(StandardCharsets.US_ASCII);
    }

    @Override public void token(int token, int exit) { TokenSink.write(out, render(token, exit)); }

    @Override public void end() { TokenSink.write(out, ending()); }
}
