package dev.eff.api;

/**
 * How to run a script, as {@code eff run}'s options: {@code steps} (when positive) trains every model for that many
 * steps instead of the script's steps or epochs; {@code evalLimit} (when positive) evaluates on the first that many
 * examples of each split; {@code checkpointEvery} is the interval of checkpoints in steps (0: only at the end);
 * {@code allowHooks} lets the script's Groovy hooks run, as {@code --allow-hooks} does. Hooks are refused by default:
 * Groovy is not a sandbox, and a hook runs with the host application's permissions.
 */
public record RunOptions(long steps, long evalLimit, long checkpointEvery, boolean allowHooks) {

    /** As the script says; checkpoints every 500 steps; hooks refused. */
    public static final RunOptions DEFAULT = new RunOptions(0, 0, 500, false);

    public RunOptions(long steps, long evalLimit, long checkpointEvery) { this(steps, evalLimit, checkpointEvery, false); }

    public RunOptions {
        if (steps < 0 || evalLimit < 0 || checkpointEvery < 0) throw new IllegalArgumentException("run options must not be negative");
        if (steps > dev.eff.dsl.check.TrainJob.MAX_STEPS) throw new IllegalArgumentException("steps must be at most " + dev.eff.dsl.check.TrainJob.MAX_STEPS);
    }

    public RunOptions withSteps(long n) { return new RunOptions(n, evalLimit, checkpointEvery, allowHooks); }

    public RunOptions withEvalLimit(long n) { return new RunOptions(steps, n, checkpointEvery, allowHooks); }

    public RunOptions withCheckpointEvery(long n) { return new RunOptions(steps, evalLimit, n, allowHooks); }

    /** These options with the script's hooks allowed to run. */
    public RunOptions withHooksAllowed() { return new RunOptions(steps, evalLimit, checkpointEvery, true); }
}
