package dev.eff.api;

import dev.eff.dsl.check.EvalJob;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.TrainJob;

/**
 * A statement that does work when the script runs, in script order: its {@code kind} ({@code train}, {@code evaluate}
 * or a program such as {@code predict} or {@code generate}), the model instance and data split it uses, and where it
 * is written ({@code file}, 1-based {@code line} and {@code column}).
 */
public record JobInfo(String kind, String model, String data, String split, String file, int line, int column) {

    static JobInfo of(Job job) {
        String kind = job instanceof TrainJob ? "train" : job instanceof EvalJob ? "evaluate" : ((ProgramJob) job).program().name();
        String split = job instanceof TrainJob t ? t.split() : job instanceof EvalJob e ? e.split() : ((ProgramJob) job).split();
        return new JobInfo(kind, job.model().instance(), job.data().name(), split, job.span().source().name(), job.span().line(),
                job.span().column());
    }

    /** {@code file:line:col}. */
    public String location() { return file + ":" + line + ":" + column; }
}
