package dev.eff.interpreter.cli;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The terminal the CLI draws on: its width, and whether to colour it. */
final class Terminals {
    static final int DEFAULT_WIDTH = 80;

    private Terminals() {}

    /** Columns of the system terminal, or 80 when it cannot be asked. Installs no signal handlers. */
    static int width() {
        try (Terminal t = TerminalBuilder.builder().system(true).dumb(true).nativeSignals(false).build()) {
            int w = t.getWidth();
            return w > 0 ? w : DEFAULT_WIDTH;
        } catch (Exception | LinkageError e) {
            return DEFAULT_WIDTH;
        }
    }

    /** Whether to colour the output: only on a terminal, and not when NO_COLOR is set to anything (no-color.org). */
    static boolean colour(boolean terminal, String noColor) {
        return terminal && (noColor == null || noColor.isEmpty());
    }
}
