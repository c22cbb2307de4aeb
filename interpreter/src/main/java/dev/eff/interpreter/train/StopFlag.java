package dev.eff.interpreter.train;

/**
 * A request to stop a run early (Ctrl-C in the CLI). The trainer looks at it between steps, so a step is
 * never cut in half: the weights stay consistent and can be checkpointed.
 */
public final class StopFlag {
    private volatile boolean requested;

    /** Safe to call from any thread, e.g. a signal handler. */
    public void request() { requested = true; }

    public boolean requested() { return requested; }

    /** Withdraws the request, so the flag can serve the next run (the REPL runs many in one session). */
    public void clear() { requested = false; }
}
