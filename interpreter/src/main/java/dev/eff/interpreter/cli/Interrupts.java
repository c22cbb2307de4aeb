package dev.eff.interpreter.cli;

import dev.eff.interpreter.train.StopFlag;
import java.io.PrintStream;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during {@code eff run}: the first one asks the run to stop after the current step (the trainer then
 * writes its checkpoint and the CLI exits with 130); a second one quits at once. Where SIGINT cannot be handled
 * (it was ignored when the JVM started, as for background jobs), the JVM's default stays.
 */
final class Interrupts implements AutoCloseable {
    static final int EXIT = 130;
    private static final Signal INT = new Signal("INT");
    private final SignalHandler previous;

    private Interrupts(SignalHandler previous) { this.previous = previous; }

    static Interrupts install(StopFlag stop, PrintStream err) {
        try {
            return new Interrupts(Signal.handle(INT, s -> {
                if (stop.requested()) Runtime.getRuntime().halt(EXIT);
                stop.request();
                err.println();
                err.println("eff: stopping after the current step (Ctrl-C again to quit at once)");
                err.flush();
            }));
        } catch (IllegalArgumentException e) {
            return new Interrupts(null);
        }
    }

    @Override
    public void close() {
        if (previous != null) Signal.handle(INT, previous);
    }
}
