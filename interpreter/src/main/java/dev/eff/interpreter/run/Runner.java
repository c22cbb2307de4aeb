package dev.eff.interpreter.run;

import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.check.EvalJob;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.interpreter.programs.Calibration;
import dev.eff.interpreter.programs.Program;
import dev.eff.interpreter.programs.Session;
import java.io.OutputStream;
import org.nd4j.autodiff.samediff.SameDiff;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.hooks.Callbacks;
import dev.eff.interpreter.hooks.HookPolicy;
import dev.eff.interpreter.train.Evaluator;
import dev.eff.interpreter.train.ExitClassifierStage;
import dev.eff.interpreter.train.ResumeState;
import dev.eff.interpreter.train.TrainPlan;
import dev.eff.interpreter.train.TrainResult;
import dev.eff.interpreter.train.Trainer;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.interpreter.train.StopFlag;
import dev.eff.interpreter.train.TrainingInterrupted;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Metric;
import dev.eff.stdlib.Optimizer;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Executes a checked program's jobs in script order. Trained models are kept by instance key
 * ({@link dev.eff.dsl.check.ModelGraph#instance()}), so a later {@code evaluate} of the same instance uses the
 * trained weights; each data split is loaded once.
 */
public final class Runner {

    /**
     * {@code steps} (when positive) replaces every train job's steps or epochs; {@code checkpointEvery} is
     * the checkpoint interval in steps (0: only at the end); {@code evalLimit} (when positive) evaluates on the first
     * that many examples of a split only; relative paths resolve against {@code baseDir}. With {@code resume}, a train
     * statement whose checkpoint has a resume file continues from it (see {@link ResumeState}).
     */
    public record Options(Path script, Path baseDir, Map<String, String> overrides, long steps, long checkpointEvery,
                          long evalLimit, boolean resume) {

        public Options(Path script, Path baseDir, Map<String, String> overrides, long steps, long checkpointEvery,
                       long evalLimit) {
            this(script, baseDir, overrides, steps, checkpointEvery, evalLimit, false);
        }
    }

    private final Registry registry;
    private final ModelCompiler compiler;
    private final Map<String, ModelInstance> instances = new HashMap<>();
    private final Map<String, Dataset> splits = new HashMap<>();
    private final Map<String, Long> initialSeeds = new HashMap<>();
    private CheckedProgram current;
    private final List<JobReport> done = new ArrayList<>();

    private final StopFlag stop;
    private final java.util.function.Supplier<MachineMemory> machine;
    private HookPolicy hooks = HookPolicy.REFUSE;

    public Runner(Registry registry, ModelCompiler compiler) { this(registry, compiler, new StopFlag()); }

    /** A runner that stops between steps, and between statements, once {@code stop} is requested. */
    public Runner(Registry registry, ModelCompiler compiler, StopFlag stop) {
        this(registry, compiler, stop, MachineMemory::current);
    }

    /** A runner that checks each job's memory estimate against {@code machine} before running anything. */
    public Runner(Registry registry, ModelCompiler compiler, java.util.function.Supplier<MachineMemory> machine) {
        this(registry, compiler, new StopFlag(), machine);
    }

    private Runner(Registry registry, ModelCompiler compiler, StopFlag stop,
                   java.util.function.Supplier<MachineMemory> machine) {
        this.registry = registry;
        this.compiler = compiler;
        this.stop = stop;
        this.machine = machine;
    }

    /** Whether this runner may run the script's hooks (refused by default: see {@link HookPolicy}). */
    public Runner hooks(HookPolicy policy) {
        this.hooks = policy;
        return this;
    }

    /**
     * Runs every job. Before the first starts, each job's memory estimate is checked against the machine and every
     * split the jobs use is loaded, so a model that cannot fit or an empty or unreadable split fails in seconds.
     */
    public RunReport run(CheckedProgram program, Options options, RunEvents events)
            throws DataException, RunFailure, IOException {
        long start = System.nanoTime();
        hooks.require(program);
        MemoryEstimate.requireFits(program, machine.get());
        for (Job job : program.jobs()) load(job.data(), split(job), options.baseDir());
        for (Job job : program.jobs()) {
            if (job instanceof ProgramJob p && p.program().spec() instanceof Program spec) {
                for (String other : spec.otherSplits(p.settings())) load(p.data(), other, options.baseDir());
            }
        }
        current = program;
        List<JobReport> reports = new ArrayList<>();   // this run's; done keeps every run's, for save's metrics
        // A model evaluated before its first training gets the initial weights that training will start from.
        for (Job job : program.jobs()) if (job instanceof TrainJob t) initialSeeds.putIfAbsent(t.model().instance(), t.seed());
        for (Job job : program.jobs()) {
            if (stop.requested()) throw TrainingInterrupted.beforeStatement(job.span());
            events.jobStarted(job);
            JobReport r = job instanceof TrainJob t ? train(t, options, events)
                    : job instanceof EvalJob e ? evaluate(e, options) : program((ProgramJob) job, options, events);
            reports.add(r);
            done.add(r);
            events.jobFinished(r);
        }
        Map<String, String> constants = new TreeMap<>();
        program.constants().forEach((k, v) -> constants.put(k, v.render()));
        return new RunReport(Eff.VERSION, String.valueOf(options.script()), options.overrides(), constants, reports,
                seconds(start));
    }

    private JobReport train(TrainJob job, Options options, RunEvents events)
            throws DataException, RunFailure, IOException {
        Dataset data = load(job.data(), job.split(), options.baseDir());
        long compileStart = System.nanoTime();
        String key = job.model().instance();
        ModelInstance instance = instances.get(key);
        // An instance only evaluated so far gets this job's seeded initialisation instead.
        if (instance == null || !instance.trained()) {
            instance = new ModelInstance(new Parameters(ModelCompiler.namespace(job.model())));
            instances.put(key, instance);
        }
        CompiledModel model = instance.training(job.loss().render());
        if (model == null) {
            model = compiler.compile(job.model(), job.data().schema(), job.loss(), instance.variables(), job.seed(), DataType.FLOAT);
            instance.training(model);
        }
        double compileSeconds = seconds(compileStart);
        Optimizer optimizer = (Optimizer) spec(job.optimizer(), Kind.OPTIMIZER);
        long steps = options.steps() > 0 ? options.steps() : job.steps();
        int epochs = options.steps() > 0 ? 0 : job.epochs();
        Path checkpoint = OutputCheck.checkpointPath(job, options.baseDir());
        TrainPlan plan = new TrainPlan(job.batch(), steps, epochs, job.seed(), optimizer, job.optimizer().asArgs(),
                checkpoint, options.checkpointEvery(), job.span(), job.freeze());
        Trainer.ResumePoint from = null;
        if (options.resume() && checkpoint != null && Files.exists(ResumeState.fileFor(checkpoint))) {
            from = resume(job, plan, model, instance, ResumeState.read(ResumeState.fileFor(checkpoint)), data.size());
            events.resumed(job, checkpoint, from.step());
        }
        TrainResult result;
        try {
            result = new Trainer(stop).train(model, data, plan, instance.optimizer(), from,
                    Callbacks.around(events.training(job), job));
        } catch (TrainingInterrupted e) {
            instance.markTrained(); // its finished steps stand: a later statement (in the REPL) continues from them
            instance.weightsFrom(null);
            throw e;
        }
        instance.markTrained();
        Map<String, Double> stage = ExitClassifierStage.applies(job.model()) ? exitClassifiers(job, instance, model, data, checkpoint) : null;
        instance.weightsFrom(checkpoint);
        return new JobReport("train", job.span().location(), key, job.model().cost().params(), job.data().name(),
                job.split(), source(job.data()), job.optimizer().render(), job.loss().render(), job.batch(),
                result.steps(), job.seed(), result.losses(), result.finalLoss(), stage, result.examples(), compileSeconds,
                result.seconds(), result.examplesPerSecond(), nullIfEmpty(result.sideOutputs().auxiliaries()),
                nullIfEmpty(result.sideOutputs().probes()), null);
    }

    /**
     * CALM's exit classifiers, trained after the statement with the model frozen ({@link ExitClassifierStage}); the
     * checkpoint is written again to hold them. Returns the stage's figures for the statement's report.
     */
    private Map<String, Double> exitClassifiers(TrainJob job, ModelInstance instance, CompiledModel model, Dataset data,
                                                Path checkpoint) throws IOException {
        CompiledModel exits = compiler.exits(job.model(), job.data().schema(), instance.variables(), job.seed(), DataType.FLOAT);
        ExitClassifierStage.Result r = ExitClassifierStage.train(exits, data, job.batch(), job.seed(), stop);
        if (checkpoint != null) dev.eff.interpreter.train.Checkpoints.save(model.sd(), checkpoint);
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        out.put("exit classifiers: steps", (double) r.steps());
        out.put("exit classifiers: first loss", r.firstLoss());
        out.put("exit classifiers: last loss", r.lastLoss());
        for (int i = 0; i < r.accuracy().length; i++) {
            out.put("exit " + (i + 1) + ": consistent", r.consistent()[i]);
            out.put("exit " + (i + 1) + ": classifier accuracy", r.accuracy()[i]);
        }
        return out;
    }

    /** Restores the model's variables and optimizer from {@code state}, after checking it belongs to this very statement. */
    private static Trainer.ResumePoint resume(TrainJob job, TrainPlan plan, CompiledModel model, ModelInstance instance,
                                              ResumeState state, long examples) throws ResumeException {
        ResumeState.Header h = state.header();
        List<String> differ = new ArrayList<>();
        differ(differ, "statement", h.statement(), plan.span().location());
        differ(differ, "model", h.model(), job.model().instance());
        differ(differ, "seed", h.seed(), plan.seed());
        differ(differ, "batch", h.batch(), plan.batch());
        differ(differ, "steps", h.totalSteps(), plan.totalSteps(examples));
        differ(differ, "optimizer", h.optimizer(), Trainer.optimizerCall(plan));
        String hint = "delete the checkpoint's .resume file to train from the start, or run without --resume";
        if (!differ.isEmpty()) {
            throw new ResumeException(job.span(), "the checkpoint " + ResumeState.fileFor(plan.checkpoint()).getFileName()
                    + " was written by another run: " + String.join("; ", differ), hint);
        }
        Map<String, INDArray> arrays = model.parameters();
        if (!arrays.keySet().equals(state.variables().keySet())) {
            throw new ResumeException(job.span(), "the checkpoint holds other variables than model " + job.model().instance(), hint);
        }
        for (var e : state.variables().entrySet()) {
            INDArray target = arrays.get(e.getKey());
            if (!java.util.Arrays.equals(target.shape(), e.getValue().shape())) {
                throw new ResumeException(job.span(), "variable " + e.getKey() + " has another shape in the checkpoint", hint);
            }
            target.assign(e.getValue());
        }
        instance.optimizer().restore(h.optimizerKey(), h.optimizerStep(), state.optimizerState());
        return new Trainer.ResumePoint(h.step(), h.losses(), h.auxiliaries());
    }

    private static void differ(List<String> out, String what, Object theirs, Object mine) {
        if (!String.valueOf(theirs).equals(String.valueOf(mine))) out.add(what + " " + theirs + " there, " + mine + " here");
    }

    private JobReport evaluate(EvalJob job, Options options) throws DataException {
        Dataset data = load(job.data(), job.split(), options.baseDir());
        if (options.evalLimit() > 0 && data.size() > options.evalLimit()) data = data.slice(0, options.evalLimit());
        long compileStart = System.nanoTime();
        String key = job.model().instance();
        CompiledModel model = inference(job.model(), job.data().schema());
        double compileSeconds = seconds(compileStart);
        List<Evaluator.Request> requests = new ArrayList<>();
        for (Value.Call c : job.metrics()) {
            Metric m = (Metric) spec(c, Kind.METRIC);
            requests.add(new Evaluator.Request(c.name(), m, c.asArgs()));
        }
        long start = System.nanoTime();
        Evaluator.Evaluation evaluation = new Evaluator().evaluate(model, data, job.batch(), requests,
                job.data().schema().classes());
        double secs = seconds(start);
        return new JobReport("evaluate", job.span().location(), key, job.model().cost().params(), job.data().name(),
                job.split(), source(job.data()), null, null, job.batch(), null, null, null, null, evaluation.metrics(),
                data.size(), compileSeconds, secs, secs > 0 ? data.size() / secs : null, null, nullIfEmpty(evaluation.probes()), null);
    }

    /**
     * Drops a model instance's weights, optimizer state and graphs, so its next statement starts afresh (the REPL
     * redefined it); false when the runner held none.
     */
    public boolean forgetModel(String instance) {
        initialSeeds.remove(instance);
        return instances.remove(instance) != null;
    }

    /** Drops the loaded splits of data {@code name}, so they are loaded again (the REPL redefined it). */
    public void forgetData(String name) { splits.keySet().removeIf(k -> k.startsWith(name + ".")); }

    /** The instance of {@code graph} (created untrained when new), for evaluation and programs. */
    private ModelInstance instance(ModelGraph graph) {
        return instances.computeIfAbsent(graph.instance(), k -> new ModelInstance(new Parameters(ModelCompiler.namespace(graph))));
    }

    /** The inference graph of {@code graph}'s instance over its current weights, built once (also for host applications). */
    public CompiledModel inference(ModelGraph graph, DataSchema schema) {
        ModelInstance instance = instance(graph);
        CompiledModel model = instance.inference();
        if (model == null) {
            model = compiler.inference(graph, schema, instance.variables(), initialSeeds.getOrDefault(graph.instance(), 0L), DataType.FLOAT);
            instance.inference(model);
        }
        return model;
    }

    /** Runs program {@code job} over the models and data as this runner's last run left them (a host application's save). */
    public JobReport runProgram(ProgramJob job, Options options, RunEvents events) throws DataException, RunFailure, IOException {
        return program(job, options, events);
    }

    private JobReport program(ProgramJob job, Options options, RunEvents events) throws DataException, RunFailure, IOException {
        Program program = (Program) spec(job.program(), Kind.PROGRAM);
        return program.run(job, new Session() {
            @Override
            public Dataset data(ProgramJob j) throws DataException { return data(j, j.split()); }

            @Override
            public Dataset data(ProgramJob j, String split) throws DataException {
                Dataset data = load(j.data(), split, options.baseDir());
                return options.evalLimit() > 0 && data.size() > options.evalLimit() ? data.slice(0, options.evalLimit()) : data;
            }

            @Override public CompiledModel inference(ProgramJob j) { return Runner.this.inference(j.model(), j.data().schema()); }

            @Override
            public CompiledModel inference(ProgramJob j, String setting) {
                return Runner.this.inference(j.models().get(setting), j.data().schema());
            }

            @Override public Parameters variables(ProgramJob j) { return instance(j.model()).variables(); }

            @Override public long seed(ProgramJob j) { return initialSeeds.getOrDefault(j.model().instance(), 0L); }

            @Override public ModelCompiler compiler() { return compiler; }

            @Override public Calibration.Stored calibration(ProgramJob j) { return instance(j.model()).calibration(); }

            @Override
            public Path calibrated(ProgramJob j, Calibration calibration) throws IOException {
                ModelInstance m = instance(j.model());
                m.calibration(new Calibration.Stored(calibration, "calibrate at " + j.span().location()));
                return m.checkpoint() == null ? null : calibration.writeBeside(m.checkpoint());
            }

            @Override public Path baseDir() { return options.baseDir(); }

            @Override public Path script() { return options.script(); }

            @Override public CheckedProgram program() { return current; }

            @Override public List<JobReport> reports() { return List.copyOf(done); }

            @Override public boolean stopRequested() { return stop.requested(); }

            @Override public void note(String message) { events.note(job, message); }

            @Override public OutputStream stream() { return events.stream(job); }

            @Override public dev.eff.interpreter.programs.TokenSink tokens(int blocks) { return events.tokens(job, blocks); }
        });
    }

    /**
     * Runs program {@code job} on its model's weights as {@code checkpoint} holds them (written by a train statement
     * of the same model), without training: what {@code eff generate} and {@code eff predict} do. The calibration
     * stored beside the checkpoint, if it was made on these very weights, comes with them.
     */
    public JobReport runFromCheckpoint(ProgramJob job, long seed, Path checkpoint, Options options, RunEvents events)
            throws DataException, RunFailure, IOException {
        SameDiff saved = SameDiff.load(checkpoint.toFile(), false);
        ModelInstance instance = withWeights(job, seed, name -> saved.hasVariable(name) ? saved.getVariable(name).getArr() : null,
                "the checkpoint " + checkpoint, "train it again with 'eff run', or restore the script the checkpoint was trained from");
        instance.weightsFrom(checkpoint);
        load(job.data(), job.split(), options.baseDir());
        events.jobStarted(job);
        Calibration.Found found = Calibration.read(checkpoint);
        if (found != null && found.problem() != null) events.note(job, "note: " + found.problem() + "; it is not used");
        if (found != null && found.calibration() != null) {
            instance.calibration(new Calibration.Stored(found.calibration(), Calibration.fileFor(checkpoint).toString()));
        }
        JobReport r = program(job, options, events);
        events.jobFinished(r);
        return r;
    }

    /**
     * Runs program {@code job} on the weights {@code weights} gives by graph name (a bundle's), with their
     * {@code calibration} (null: none), without training and without loading data: {@code eff generate BUNDLE}.
     * {@code from} names where the weights come from.
     */
    public JobReport runWithWeights(ProgramJob job, long seed, java.util.function.Function<String, INDArray> weights,
                                    Calibration.Stored calibration, String from, Options options, RunEvents events)
            throws DataException, RunFailure, IOException {
        ModelInstance instance = withWeights(job, seed, weights, from, "save the model again with the Eff that reads it");
        instance.weightsFrom(null);
        instance.calibration(calibration);
        events.jobStarted(job);
        JobReport r = program(job, options, events);
        events.jobFinished(r);
        return r;
    }

    /** The job's model instance with every variable of its inference graph set from {@code weights}, which must hold them all. */
    private ModelInstance withWeights(ProgramJob job, long seed, java.util.function.Function<String, INDArray> weights,
                                      String from, String hint) throws RunFailure {
        initialSeeds.put(job.model().instance(), seed);
        CompiledModel model = inference(job.model(), job.data().schema());
        List<String> missing = new ArrayList<>();
        model.parameters().forEach((name, array) -> {
            INDArray saved = weights.apply(name);
            if (saved == null || !java.util.Arrays.equals(saved.shape(), array.shape())) missing.add(name);
            else array.assign(saved);
        });
        if (!missing.isEmpty()) {
            throw new RunFailure(job.span(), from + " does not hold model " + job.model().instance() + " as the script declares it ("
                    + missing.size() + " variables missing or of another shape, e.g. " + missing.get(0) + ")", hint);
        }
        ModelInstance instance = instance(job.model());
        instance.markTrained();
        return instance;
    }

    private Dataset load(DataBinding binding, String split, Path baseDir) throws DataException {
        String key = binding.name() + "." + split;
        Dataset cached = splits.get(key);
        if (cached != null) return cached;
        Dataset d;
        try {
            d = ((DataSource) binding.spec()).load(binding.args(), split, baseDir);
        } catch (DataException e) {
            throw e.at(binding.span());
        }
        if (d.size() == 0) {
            throw new DataException("the " + split + " split of data '" + binding.name() + "' has no examples",
                    "give the source more data, or change how it is split").at(binding.span());
        }
        splits.put(key, d);
        return d;
    }

    private static String split(Job job) {
        return job instanceof TrainJob t ? t.split() : job instanceof EvalJob e ? e.split() : ((ProgramJob) job).split();
    }

    /** The component the checker bound a call to (looked up by name for calls built by hand). */
    private Object spec(Value.Call c, Kind kind) {
        return c.spec() != null ? c.spec() : registry.lookup(kind, c.name()).get(0);
    }

    private static String source(DataBinding b) {
        return b.spec().signature().name() + "(" + b.args().render() + ")";
    }

    private static <K, V> Map<K, V> nullIfEmpty(Map<K, V> m) { return m.isEmpty() ? null : m; }

    private static <T> List<T> nullIfEmpty(List<T> l) { return l.isEmpty() ? null : l; }

    private static double seconds(long since) { return (System.nanoTime() - since) / 1e9; }
}
