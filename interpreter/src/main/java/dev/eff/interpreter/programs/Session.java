package dev.eff.interpreter.programs;

import dev.eff.dsl.check.ProgramJob;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.JobReport;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Parameters;
import java.io.OutputStream;
import java.nio.file.Path;

/** What a program runs against: the script's model instances (trained by earlier statements) and its data. */
public interface Session {

    /** The job's data split, loaded once per run (cut to the run's evaluation limit, if any). */
    Dataset data(ProgramJob job) throws DataException;

    /** Another split of the job's data (held-out data), loaded once per run, cut like {@link #data(ProgramJob)}. */
    Dataset data(ProgramJob job, String split) throws DataException;

    /** The inference graph of the job's model instance, over its current weights. */
    CompiledModel inference(ProgramJob job);

    /** The inference graph of the instance that the job's model setting {@code setting} names ({@link ProgramJob#models()}). */
    CompiledModel inference(ProgramJob job, String setting);

    /** The variables of the job's model instance (shared by all its graphs). */
    Parameters variables(ProgramJob job);

    /** The seed the instance's variables were (or would be) initialised from. */
    long seed(ProgramJob job);

    ModelCompiler compiler();

    /** The early-exit calibration the job's model holds (a calibrate statement's, its checkpoint's, its bundle's), or null. */
    default Calibration.Stored calibration(ProgramJob job) { return null; }

    /**
     * Keeps calibrate's choice with the job's model, for the statements after this one and, when a checkpoint holds
     * the model's weights as they are, beside that checkpoint; returns the file written there, or null.
     */
    default Path calibrated(ProgramJob job, Calibration calibration) throws java.io.IOException { return null; }

    /** The script being run (null when there is none, as for a program run from the command line alone). */
    default Path script() { return null; }

    /** The checked script, or null when the program runs without one. */
    default dev.eff.dsl.check.CheckedProgram program() { return null; }

    /** The reports of the statements run before this one, in order. */
    default java.util.List<JobReport> reports() { return java.util.List.of(); }

    /** Where relative paths of the script resolve. */
    Path baseDir();

    /** Whether the run was asked to stop (Ctrl-C): a long program ends early, keeping what it has done. */
    boolean stopRequested();

    /** A remark for the person running the script (a slower path taken, and why). */
    void note(String message);

    /** Where a program streams what it produces as it goes (generated text): the terminal, or nowhere. */
    OutputStream stream();

    /** Where generate puts its tokens with their exits, for a model of {@code blocks} exits (0: none); see {@link TokenSink}. */
    default TokenSink tokens(int blocks) { return TokenSink.plain(stream()); }
}
