package dev.eff.interpreter.run;

import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.train.TrainListener;

/** What the runner tells its caller while it works (the CLI shows progress from it). */
public interface RunEvents {
    RunEvents NONE = new RunEvents() {};

    default void jobStarted(Job job) {}

    default TrainListener training(TrainJob job) { return TrainListener.NONE; }

    default void jobFinished(JobReport report) {}
}
