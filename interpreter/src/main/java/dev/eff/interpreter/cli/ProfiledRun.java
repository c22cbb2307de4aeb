package dev.eff.interpreter.cli;

import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.run.JobReport;
import dev.eff.interpreter.run.RunEvents;
import dev.eff.interpreter.train.OpProfiler;
import dev.eff.interpreter.train.TrainListener;
import java.util.LinkedHashMap;
import java.util.Map;

/** The run's events, passed on unchanged, with an {@link OpProfiler} around every train statement's listener. */
final class ProfiledRun implements RunEvents {
    private final RunEvents delegate;
    private final long warmup, steps;
    private final Map<String, OpProfiler> profiles = new LinkedHashMap<>();

    ProfiledRun(RunEvents delegate, long warmup, long steps) {
        this.delegate = delegate;
        this.warmup = warmup;
        this.steps = steps;
    }

    /** The profile of each train statement run so far, by its label ("train lm at 12:1"). */
    Map<String, OpProfiler> profiles() { return profiles; }

    @Override public TrainListener training(TrainJob job) {
        OpProfiler p = new OpProfiler(delegate.training(job), warmup, steps);
        profiles.put("train " + job.model().instance() + " at " + job.span().location(), p);
        return p;
    }

    @Override public void jobStarted(Job job) { delegate.jobStarted(job); }
    @Override public void resumed(TrainJob job, java.nio.file.Path checkpoint, long step) { delegate.resumed(job, checkpoint, step); }
    @Override public void jobFinished(JobReport report) { delegate.jobFinished(report); }
    @Override public void note(ProgramJob job, String message) { delegate.note(job, message); }
    @Override public java.io.OutputStream stream(ProgramJob job) { return delegate.stream(job); }
}
