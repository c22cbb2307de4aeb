package dev.eff.api;

/**
 * How to run a script, as {@code eff run}'s options: {@code steps} (when positive) trains every model for that many
 * steps instead of the script's steps or epochs; {@code evalLimit} (when positive) evaluates on the first that many
 * examples of each split; {@code checkpointEvery} is the interval of checkpoints in steps (0: only at the end).
 */
public record RunOptions(long steps, long evalLimit, long checkpointEvery) {

    /** As the script says; checkpoints every 500 steps. */
    public static final RunOptions DEFAULT = new RunOptions(0, 0, 500);

    public RunOptions {
        if (steps < 0 || evalLimit < 0 || checkpointEvery < 0) throw new IllegalArgumentException("run options must not be negative");
        if (steps > dev.eff.dsl.check.TrainJob.MAX_STEPS) throw new IllegalArgumentException("steps must be at most " + dev.eff.dsl.check.TrainJob.MAX_STEPS);
    }

    public RunOptions withSteps(long n) { return new RunOptions(n, evalLimit, checkpointEvery); }

    public RunOptions withEvalLimit(long n) { return new RunOptions(steps, n, checkpointEvery); }

    public RunOptions withCheckpointEvery(long n) { return new RunOptions(steps, evalLimit, n); }
}
