package dev.eff.api;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.ProgramSpec;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.programs.Program;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.compile.CompileException;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.JobReport;
import dev.eff.interpreter.run.OutputCheck;
import dev.eff.interpreter.run.RunEvents;
import dev.eff.interpreter.run.Runner;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.interpreter.train.TrainListener;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Registry;
import dev.eff.stdlib.ScopedLowering;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked script: its diagnostics as data, what it declares, and {@link #run} to execute its statements. A script
 * with errors is still a {@code Script} ({@link #ok()} false); only running it is refused. Immutable: every run
 * starts from fresh weights, as {@code eff run} does.
 */
public final class Script {
    private final Frontend.Result checked;
    private final Registry registry;
    private final Path file, baseDir;

    Script(Frontend.Result checked, Registry registry, Path file, Path baseDir) {
        this.checked = checked;
        this.registry = registry;
        this.file = file;
        this.baseDir = baseDir;
    }

    /** Whether the script has no errors (it may have warnings). */
    public boolean ok() { return checked.ok(); }

    /** Every error and warning, in source order. */
    public List<Diagnostic> diagnostics() { return checked.diagnostics().sorted().stream().map(Diagnostic::of).toList(); }

    /** The diagnostics as {@code eff check} prints them (source lines, carets, hints, the error count). */
    public String render() { return checked.diagnostics().render(); }

    /** The model instances the script uses, in declaration order. */
    public List<ModelInfo> models() { return program().models().values().stream().map(ModelInfo::of).toList(); }

    /** The data declarations, by name in sorted order. */
    public List<DataInfo> data() {
        return program().data().values().stream().map(DataInfo::of).sorted(java.util.Comparator.comparing(DataInfo::name)).toList();
    }

    /** The statements that run, in script order. */
    public List<JobInfo> jobs() { return program().jobs().stream().map(JobInfo::of).toList(); }

    /** The top-level constants after overrides and bindings, rendered as Eff source ({@code 64}, {@code "text"}). */
    public Map<String, String> constants() {
        Map<String, String> out = new java.util.TreeMap<>();
        program().constants().forEach((k, v) -> out.put(k, v.render()));
        return out;
    }

    /** Runs every statement as the script says. */
    public Results run() throws EffException { return run(RunOptions.DEFAULT, Listener.NONE); }

    /** Runs every statement, telling {@code listener} what happens. */
    public Results run(Listener listener) throws EffException { return run(RunOptions.DEFAULT, listener); }

    /**
     * Runs every statement in script order, as {@code eff run} does: the files it will write are checked first (an
     * existing file is only replaced when it is an earlier output of Eff), then memory and data, then the statements.
     *
     * @throws IllegalStateException when the script has errors (see {@link #diagnostics()})
     * @throws EffException when the run fails for a reason the user can act on
     */
    public Results run(RunOptions options, Listener listener) throws EffException {
        CheckedProgram program = program();
        Embedding.prepare();
        OutputCheck.Result outputs = OutputCheck.check(program, baseDir, null);
        if (!outputs.ok()) {
            OutputCheck.Problem p = outputs.problems().get(0);
            throw new EffException(p.span(), p.message(), p.hint());
        }
        Runner runner = new Runner(registry, new ModelCompiler(registry, ScopedLowering::new))
                .hooks(options.allowHooks() ? dev.eff.interpreter.hooks.HookPolicy.ALLOW : dev.eff.interpreter.hooks.HookPolicy.REFUSE);
        Events events = new Events(listener);
        try {
            runner.run(program, new Runner.Options(file, baseDir, Map.of(), options.steps(), options.checkpointEvery(),
                    options.evalLimit()), events);
        } catch (DataException e) {
            throw new EffException(e.span(), e.getMessage(), e.hint());
        } catch (RunFailure e) {
            throw new EffException(e.span(), e.getMessage(), e.hint());
        } catch (CompileException e) {
            throw new EffException(e.span(), e.getMessage(), e.hint());
        } catch (IOException e) {
            throw new EffException(null, "cannot write " + e.getMessage(), "check that the folder exists and is writable");
        }
        Map<String, ModelGraph> graphs = new LinkedHashMap<>();
        Map<String, DataSchema> schemas = new LinkedHashMap<>();
        for (Job j : program.jobs()) {
            graphs.put(j.model().instance(), j.model());
            schemas.put(j.model().instance(), j.data().schema());
        }
        Map<String, Model> models = new LinkedHashMap<>();
        graphs.forEach((key, g) -> models.put(key, new Model(ModelInfo.of(g), schemas.get(key).classes(), registry,
                () -> runner.inference(g, schemas.get(key)), to -> save(runner, lastUse(program, key), to, options))));
        return new Results(events.results, models);
    }

    private static Job lastUse(CheckedProgram program, String instance) {
        Job last = null;
        for (Job j : program.jobs()) if (j.model().instance().equals(instance)) last = j;
        return last;
    }

    /** Runs the {@code save} program on the model as the run left it, with the data of its last statement. */
    private void save(Runner runner, Job last, Path to, RunOptions options) throws EffException {
        Program save = (Program) registry.find(Kind.PROGRAM, "save", null);
        Path target = to.toAbsolutePath();
        Value.Call call = new Value.Call("save", null, Map.of("to", new Value.Str(target.toString())), last.span(), save);
        try {
            save.check(call.asArgs(), last.model(), last.data());
        } catch (ProgramSpec.Problem p) {
            throw new IllegalArgumentException(p.getMessage() + (p.hint() == null ? "" : " (" + p.hint() + ")"));
        }
        try {
            String refused = java.nio.file.Files.isRegularFile(target) && java.nio.file.Files.size(target) > 0 ? save.refuseToReplace(target) : null;
            if (refused != null) throw new EffException(null, "will not replace " + target + ": " + refused, "save to another file");
        } catch (IOException e) {
            throw new EffException(null, "cannot read " + target + ": " + e.getMessage(), null);
        }
        String split = last instanceof TrainJob t ? t.split() : last instanceof dev.eff.dsl.check.EvalJob e ? e.split() : ((ProgramJob) last).split();
        ProgramJob job = new ProgramJob(last.span(), call, last.model(), last.data(), split);
        try {
            runner.runProgram(job, new Runner.Options(file, baseDir, Map.of(), options.steps(), options.checkpointEvery(),
                    options.evalLimit()), RunEvents.NONE);
        } catch (DataException e) {
            throw new EffException(e.span(), e.getMessage(), e.hint());
        } catch (RunFailure e) {
            throw new EffException(e.span(), e.getMessage(), e.hint());
        } catch (IOException e) {
            throw new EffException(null, "cannot write " + target + ": " + e.getMessage(), "check that the folder exists and is writable");
        }
    }

    private CheckedProgram program() {
        if (!checked.ok()) {
            throw new IllegalStateException("the script has errors: " + checked.diagnostics().sorted().get(0).headline());
        }
        return checked.program();
    }

    /** Forwards the runner's events to the host's listener, and keeps each statement's result. */
    private static final class Events implements RunEvents {
        private final Listener listener;
        private final List<JobResult> results = new ArrayList<>();
        private JobInfo current;

        Events(Listener listener) { this.listener = listener; }

        @Override
        public void jobStarted(Job job) {
            current = JobInfo.of(job);
            listener.started(current);
        }

        @Override
        public TrainListener training(TrainJob job) {
            JobInfo info = JobInfo.of(job);
            return new TrainListener() {
                private Map<String, Double> auxiliaries = Map.of();

                @Override public void auxiliaries(long step, Map<String, Double> values) { auxiliaries = Map.copyOf(values); }

                @Override
                public void step(long step, long totalSteps, double loss, long examplesSeen, double seconds) {
                    listener.step(info, step, totalSteps, loss, auxiliaries, seconds);
                }
            };
        }

        @Override
        public void jobFinished(JobReport report) {
            JobResult r = JobResult.of(current, report);
            results.add(r);
            listener.finished(r);
        }

        @Override public void note(ProgramJob job, String message) { listener.note(JobInfo.of(job), message); }

        @Override
        public OutputStream stream(ProgramJob job) {
            JobInfo info = JobInfo.of(job);
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            // Generated text arrives a byte at a time; a character split over several bytes is passed on once whole.
            return new OutputStream() {
                private final ByteBuffer pending = ByteBuffer.allocate(8);

                @Override
                public void write(int b) {
                    pending.put((byte) b);
                    pending.flip();
                    CharBuffer chars = CharBuffer.allocate(8);
                    utf8.decode(pending, chars, false);
                    pending.compact();
                    if (chars.position() > 0) listener.text(info, chars.flip().toString());
                }
            };
        }
    }
}
