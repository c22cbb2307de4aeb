package dev.eff.interpreter.compile;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Runs ND4J calls that print to stdout unconditionally ({@code createGradFunction} prints one "Added
 * differentiated op" line per op) with {@code System.out} swapped for a sink, so the CLI's output stays clean.
 */
public final class Quiet {
    private static final Object LOCK = new Object();

    private Quiet() {}

    public static void run(Runnable body) {
        synchronized (LOCK) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                body.run();
            } finally {
                System.setOut(out);
            }
        }
    }
}
