package dev.eff.interpreter.run;

import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.train.TrainListener;

/** What the runner tells its caller while it works (the CLI shows progress from it). */
public interface RunEvents {
    RunEvents NONE = new RunEvents() {};

    default void jobStarted(Job job) {}

    default TrainListener training(TrainJob job) { return TrainListener.NONE; }

    /** A train statement continues from its checkpoint after {@code step} of its steps ({@code --resume}). */
    default void resumed(TrainJob job, java.nio.file.Path checkpoint, long step) {}

    default void jobFinished(JobReport report) {}

    /** A program's remark (a slower path it takes, where it wrote its output). */
    default void note(dev.eff.dsl.check.ProgramJob job, String message) {}

    /** Where a program streams what it produces as it goes (generated text); nowhere by default. */
    default java.io.OutputStream stream(dev.eff.dsl.check.ProgramJob job) { return java.io.OutputStream.nullOutputStream(); }

    /**
     * Where generate puts its tokens, each with the exit it left the model at, for a model of {@code blocks} exits (0:
     * no early exit): their bytes as they are, to {@link #stream}, unless the caller shows them otherwise.
     */
    default dev.eff.interpreter.programs.TokenSink tokens(dev.eff.dsl.check.ProgramJob job, int blocks) {
        return dev.eff.interpreter.programs.TokenSink.plain(stream(job));
    }
}
