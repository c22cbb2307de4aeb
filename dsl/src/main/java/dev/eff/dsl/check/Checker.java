package dev.eff.dsl.check;

import dev.eff.dsl.ast.Expr;
import dev.eff.dsl.ast.Stmt;
import dev.eff.dsl.diag.Spelling;
import dev.eff.dsl.resolve.Reporter;
import dev.eff.dsl.resolve.Resolver;
import dev.eff.dsl.resolve.Scope;
import dev.eff.dsl.source.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks resolved declarations against a {@link Catalog}: binds data sources, instantiates every model a
 * job uses (with its parameter overrides and its data's input shapes), checks train and evaluate settings,
 * losses and metrics against the model's output, and checks every declared model's calls even when no job
 * uses it. Reports every problem it finds; the program is returned only when there is none.
 */
public final class Checker {

    /** The settings of {@code train}: the fixed signature the brief of the language defines. */
    public static final List<String> TRAIN_SETTINGS = List.of("optimizer", "batch", "steps", "epochs", "loss", "seed", "checkpoint",
            "freeze", "callbacks");
    public static final List<String> EVAL_SETTINGS = List.of("batch");
    static final int DEFAULT_BATCH = 32;
    static final int DEFAULT_EVAL_BATCH = 256;

    private final Catalog catalog;
    private final Reporter report;
    private final Binder binder;
    private final ModelBuilder builder;
    private final Resolver.Resolved program;
    private final Scope constants;
    private final Map<String, DataBinding> data = new LinkedHashMap<>();
    private final Map<String, ModelGraph> models = new LinkedHashMap<>();
    private final Map<String, Map<String, Value>> defaults = new LinkedHashMap<>();
    private final List<Job> jobs = new ArrayList<>();
    private final Set<String> trained = new HashSet<>();
    /** Per model instance, the data and split of the latest statement that used it (for programs naming no data). */
    private final Map<String, Use> used = new LinkedHashMap<>();

    private record Use(DataBinding data, String split) {}
    /** Set when the last settings block had a misspelt key, which is then the likely missing setting. */
    private boolean misspeltSetting;

    private Checker(Resolver.Resolved program, Catalog catalog, Reporter report) {
        this.catalog = catalog;
        this.report = report;
        this.binder = new Binder(catalog, report);
        this.builder = new ModelBuilder(catalog, binder);
        this.program = program;
        this.constants = program.scope();
    }

    /** The checked program, or null when any error was reported (the errors are in {@code report}). */
    public static CheckedProgram check(Resolver.Resolved program, Catalog catalog, Reporter report) {
        Checker c = new Checker(program, Hooks.declare(program.hooks().values(), catalog, report), report);
        int before = report.errorCount();
        c.run();
        if (report.errorCount() > before || report.diagnostics().hasErrors()) return null;
        Map<String, Value> constants = new LinkedHashMap<>();
        program.constants().forEach((k, v) -> constants.put(k, v.value()));
        return new CheckedProgram(constants, c.data, c.models, c.jobs);
    }

    private void run() {
        program.data().values().forEach(this::dataDecl);
        for (Stmt.ModelDecl m : program.models().values()) modelDecl(m);
        for (Stmt s : program.jobs()) {
            if (s instanceof Stmt.Train t) train(t);
            else if (s instanceof Stmt.Evaluate e) evaluate(e);
            else if (s instanceof Stmt.RunProgram p) program(p);
        }
        for (Stmt.ModelDecl m : program.models().values()) declaredOnly(m);
    }

    private void dataDecl(Stmt.DataDecl d) {
        Value.Call call = binder.bind(d.source(), Kind.DATA, constants, Binder.Values.NONE);
        if (call == null) return;
        if (!(call.spec() instanceof DataSpec spec)) {
            report.error(d.source().span(), "internal error: data source '" + call.name() + "' has no schema", null);
            return;
        }
        try {
            DataSchema schema = spec.schema(call.asArgs());
            data.put(d.name().text(), new DataBinding(d.name().text(), d.span(), spec, call.asArgs(), schema));
        } catch (ShapeException e) {
            report.error(d.source().span(), e.getMessage(), e.hint());
        } catch (RuntimeException e) {
            report.error(d.source().span(), "internal error in data source '" + call.name() + "': " + e,
                    "this is a bug in the component, not in the script");
        }
    }

    /** Folds the model's parameter defaults; they must be constants. */
    private void modelDecl(Stmt.ModelDecl m) {
        Map<String, Value> values = new LinkedHashMap<>();
        Map<String, Span> seen = new LinkedHashMap<>();
        for (Stmt.ModelParam p : m.params()) {
            String name = p.name().text();
            Span first = seen.putIfAbsent(name, p.name().span());
            if (first != null) {
                report.error(p.name().span(), "parameter '" + name + "' of model '" + m.name().text() + "' is already declared at "
                        + first.line() + ":" + first.column(), null);
                continue;
            }
            if (p.defaultValue() instanceof Expr.Call c) {
                report.error(c.span(), "a model parameter's default must be a constant, not a call to '" + c.name().text() + "'", null);
                continue;
            }
            Value v = binder.folder().fold(p.defaultValue(), constants);
            if (v != null) values.put(name, v);
        }
        if (values.size() == seen.size()) defaults.put(m.name().text(), values);
    }

    /** A model no job uses still has its calls checked, and is built when it declares all its input shapes. */
    private void declaredOnly(Stmt.ModelDecl m) {
        Map<String, Value> params = defaults.get(m.name().text());
        if (params == null) return;
        Args args = new Args(params);
        String key = instanceKey(m.name().text(), args);
        if (models.containsKey(key)) return;
        Scope scope = constants.child(params);
        List<ModelBuilder.DeclaredInput> declared = builder.declaredInputs(m, scope);
        Map<String, Shape> inputs = new LinkedHashMap<>();
        if (declared.isEmpty()) inputs.put("input", null);
        for (ModelBuilder.DeclaredInput d : declared) inputs.put(d.name(), d.shape());
        ModelGraph g = builder.build(m, args, scope, inputs);
        if (g != null && !declared.isEmpty()) models.put(key, g);
    }

    private static String instanceKey(String name, Args params) {
        return params.values().isEmpty() ? name : name + "(" + params.render() + ")";
    }

    /** The parameters of the model {@code ref} names, its defaults overridden; null after reporting why not. */
    private Map<String, Value> parameters(Stmt.ModelRef ref) {
        String name = ref.name().text();
        Stmt.ModelDecl decl = program.models().get(name);
        if (decl == null) {
            report.error(ref.name().span(), "unknown model '" + name + "'" + Spelling.didYouMean(name, program.models().keySet()),
                    program.models().isEmpty() ? "declare it with 'model " + name + " { ... }'"
                            : "models: " + Spelling.list(program.models().keySet()));
            return null;
        }
        Map<String, Value> base = defaults.get(name);
        return base == null ? null : overrides(decl, base, ref);
    }

    /** The model instance a job names, built for its data; null after reporting why not. */
    private ModelGraph instance(Stmt.ModelRef ref, DataBinding d) {
        String name = ref.name().text();
        Stmt.ModelDecl decl = program.models().get(name);
        Map<String, Value> params = parameters(ref);
        if (params == null || d == null) return null;
        Args args = new Args(params);
        String key = instanceKey(name, args);
        Scope scope = constants.child(params);
        Map<String, Shape> inputs = bindInputs(decl, scope, d, ref);
        if (inputs == null) return null;
        ModelGraph existing = models.get(key);
        if (existing != null) {
            if (sameInputs(existing, inputs)) return existing;
            report.error(ref.span(), "model instance " + key + " is used with data '" + d.name() + "' whose inputs differ from an earlier use",
                    "an instance keeps its weights between statements, so its input shapes cannot change");
            return null;
        }
        ModelGraph g = builder.build(decl, args, scope, inputs);
        if (g != null) models.put(key, g);
        return g;
    }

    private static boolean sameInputs(ModelGraph g, Map<String, Shape> inputs) {
        if (g.inputs().size() != inputs.size()) return false;
        for (ModelGraph.Input in : g.inputs()) {
            Shape s = inputs.get(in.name());
            if (s == null || !s.sameAs(in.shape())) return false;
        }
        return true;
    }

    private Map<String, Value> overrides(Stmt.ModelDecl decl, Map<String, Value> base, Stmt.ModelRef ref) {
        Map<String, Value> params = new LinkedHashMap<>(base);
        List<String> names = new ArrayList<>(base.keySet());
        Set<String> given = new HashSet<>();
        boolean ok = true;
        int position = 0;
        for (Expr.Arg a : ref.args()) {
            String pn;
            if (a.positional()) {
                if (position >= names.size()) {
                    report.error(a.span(), "too many arguments for model '" + decl.name().text() + "'",
                            names.isEmpty() ? "it has no parameters" : "its parameters: " + Spelling.list(names));
                    ok = false;
                    continue;
                }
                pn = names.get(position++);
            } else {
                pn = a.name().text();
                if (!base.containsKey(pn)) {
                    report.error(a.name().span(), "model '" + decl.name().text() + "' has no parameter '" + pn + "'"
                                    + Spelling.didYouMean(pn, names),
                            names.isEmpty() ? "it has no parameters" : "its parameters: " + Spelling.list(names));
                    ok = false;
                    continue;
                }
            }
            if (!given.add(pn)) {
                report.error(a.span(), "parameter '" + pn + "' is given twice", null);
                ok = false;
                continue;
            }
            Value v = binder.folder().fold(a.value(), constants);
            if (v == null) {
                ok = false;
                continue;
            }
            Value old = base.get(pn);
            Value checked = like(old, v, pn, a.value());
            if (checked == null) ok = false;
            else params.put(pn, checked);
        }
        return ok ? params : null;
    }

    /** An override must have the type of the parameter's default (ints widen to floats). */
    private Value like(Value old, Value v, String param, Expr origin) {
        if (old instanceof Value.Int) return binder.check(v, Type.integer(), param, origin, constants);
        if (old instanceof Value.Float) return binder.check(v, Type.real(), param, origin, constants);
        if (old instanceof Value.Bool) return binder.check(v, new Type.Bool(), param, origin, constants);
        if (old instanceof Value.Str) return binder.check(v, new Type.Str(), param, origin, constants);
        if (old.getClass() == v.getClass()) return v;
        report.error(origin.span(), "expected " + old.typeName() + " for '" + param + "' like its default "
                + old.render() + ", got " + Binder.show(v), null);
        return null;
    }

    /** Input id to shape, binding declared inputs to the data's by name, else by position. */
    private Map<String, Shape> bindInputs(Stmt.ModelDecl decl, Scope scope, DataBinding d, Stmt.ModelRef ref) {
        List<ModelBuilder.DeclaredInput> declared = builder.declaredInputs(decl, scope);
        List<DataSchema.Field> fields = d.schema().inputs();
        Map<String, Shape> out = new LinkedHashMap<>();
        String modelName = decl.name().text();
        if (declared.isEmpty()) {
            if (fields.size() != 1) {
                report.error(ref.span(), "model '" + modelName + "' declares no input, but data '" + d.name() + "' has "
                                + fields.size() + " inputs (" + fieldNames(fields) + ")",
                        "declare them at the top of the model body, e.g. input " + (fields.isEmpty() ? "x" : fields.get(0).name()) + ": ...");
                return null;
            }
            out.put(fields.get(0).name(), fields.get(0).shape());
            return out;
        }
        if (declared.size() != fields.size()) {
            report.error(ref.span(), "model '" + modelName + "' declares " + declared.size() + (declared.size() == 1 ? " input" : " inputs")
                            + " but data '" + d.name() + "' provides " + fields.size() + " (" + fieldNames(fields) + ")",
                    "each model input binds to one data input, by name or else by position");
            return null;
        }
        Set<String> fieldSet = new HashSet<>();
        fields.forEach(f -> fieldSet.add(f.name()));
        boolean byName = declared.stream().allMatch(in -> fieldSet.contains(in.name()));
        boolean ok = true;
        // In the data's order, so that the runtime feeds data input i to model input i.
        for (int i = 0; i < fields.size(); i++) {
            DataSchema.Field f = fields.get(i);
            ModelBuilder.DeclaredInput in = byName
                    ? declared.stream().filter(x -> x.name().equals(f.name())).findFirst().orElseThrow()
                    : declared.get(i);
            if (in.shape() == null) {
                ok = false;
                continue;
            }
            if (!in.shape().sameAs(f.shape())) {
                report.error(in.span(), "input '" + in.name() + "' is " + in.shape().describe() + " but data '" + d.name()
                                + "' provides '" + f.name() + "' as " + f.shape().describe(),
                        "declare it as input " + in.name() + ": " + perExample(f.shape()));
                ok = false;
                continue;
            }
            out.put(in.name(), f.shape());
        }
        return ok ? out : null;
    }

    private static String perExample(Shape s) {
        List<String> dims = new ArrayList<>();
        for (int i = 1; i < s.rank(); i++) dims.add(s.dim(i).toString());
        return s.dtype().word() + "[" + String.join(", ", dims) + "]";
    }

    private static String fieldNames(List<DataSchema.Field> fields) {
        return String.join(", ", fields.stream().map(DataSchema.Field::name).toList());
    }

    private DataBinding dataRef(Stmt.DataRef ref) {
        String name = ref.name().text();
        DataBinding d = data.get(name);
        if (d == null) {
            if (!program.data().containsKey(name)) {
                report.error(ref.name().span(), "unknown data '" + name + "'" + Spelling.didYouMean(name, program.data().keySet()),
                        program.data().isEmpty() ? "declare it with 'data " + name + " = source(...)'"
                                : "data: " + Spelling.list(program.data().keySet()));
            }
            return null;
        }
        return d;
    }

    private String split(Stmt.DataRef ref, DataBinding d, String defaultSplit) {
        String split = ref.split() == null ? defaultSplit : ref.split().text();
        if (!d.schema().splits().contains(split)) {
            Span at = ref.split() == null ? ref.span() : ref.split().span();
            report.error(at, "data '" + d.name() + "' has no split '" + split + "'" + Spelling.didYouMean(split, d.schema().splits()),
                    "its splits: " + Spelling.list(d.schema().splits()));
            return null;
        }
        return split;
    }

    private void train(Stmt.Train t) {
        DataBinding d = dataRef(t.data());
        String split = d == null ? null : split(t.data(), d, "train");
        ModelGraph model = instance(t.model(), d);
        if (model != null) IdRanges.check(model, d, report);
        Map<String, Stmt.Setting> settings = settings(t.settings(), TRAIN_SETTINGS, "train");
        Value.Call optimizer = settings.containsKey("optimizer")
                ? callSetting(settings.get("optimizer").value(), Kind.OPTIMIZER, "optimizer")
                : defaultCall(Kind.OPTIMIZER, "adam", t);
        Long batch = intSetting(settings.get("batch"), 1, DEFAULT_BATCH);
        Long steps = intSetting(settings.get("steps"), new Type.Int(1, TrainJob.MAX_STEPS), 0);
        Long epochs = intSetting(settings.get("epochs"), new Type.Int(1, TrainJob.MAX_EPOCHS), 0);
        Long seed = intSetting(settings.get("seed"), Long.MIN_VALUE, 0);
        String checkpoint = null;
        if (settings.containsKey("checkpoint")) {
            Value v = binder.coerce(settings.get("checkpoint").value(), new Type.Str(), "checkpoint", constants, Binder.Values.NONE);
            if (v != null) checkpoint = ((Value.Str) v).value();
            if (checkpoint != null && namesAFolder(checkpoint)) {
                report.error(settings.get("checkpoint").value().span(), "checkpoint must name a file, not a folder: '" + checkpoint + "'",
                        "e.g. checkpoint = \"runs/model.sd\" (relative to the script's folder)");
                checkpoint = null;
            }
        }
        if (settings.containsKey("steps") && settings.containsKey("epochs")) {
            report.error(settings.get("epochs").span(), "give either 'steps' or 'epochs', not both", null);
        } else if (!settings.containsKey("steps") && !settings.containsKey("epochs") && !misspeltSetting) {
            report.error(keyword(t.span(), "train"),
                    "train needs a length: set 'steps' or 'epochs'", "e.g. train " + t.model().name().text() + " on "
                            + t.data().name().text() + " { steps = 1000 }");
        }
        Value loss = settings.containsKey("loss") ? loss(settings.get("loss").value())
                : defaultCall(Kind.LOSS, "crossEntropy", t);
        if (loss != null && model != null && d != null) targets(loss, model, d);
        if (loss != null && model != null) auxTerms(loss, model);
        List<LayerPattern> freeze = settings.containsKey("freeze") ? freeze(settings.get("freeze"), model) : List.of();
        List<Value.Call> callbacks = settings.containsKey("callbacks") ? callbacks(settings.get("callbacks")) : List.of();
        if (model == null || d == null || split == null || optimizer == null || batch == null || steps == null
                || epochs == null || seed == null || loss == null) return;
        if (settings.containsKey("checkpoint") && checkpoint == null || freeze == null || callbacks == null) return;
        trained.add(model.instance());
        used.put(model.instance(), new Use(d, split));
        jobs.add(new TrainJob(t.span(), model, d, split, optimizer, Math.toIntExact(Math.min(batch, Integer.MAX_VALUE)),
                steps, Math.toIntExact(Math.min(epochs, Integer.MAX_VALUE)), loss, seed, checkpoint, freeze, callbacks));
    }

    /** {@code callbacks = [stopper, logger]} or one callback hook; null after an error. */
    private List<Value.Call> callbacks(Stmt.Setting s) {
        Type one = new Type.Component(Kind.CALLBACK);
        Value v = binder.coerce(s.value(), s.value() instanceof Expr.ListLit ? new Type.ListOf(one) : one, "callbacks", constants,
                Binder.Values.NONE);
        if (v == null) return null;
        return v instanceof Value.List_ l ? l.items().stream().map(Value.Call.class::cast).toList() : List.of((Value.Call) v);
    }

    /** {@code freeze = ["embed", "block1/*"]}: layer patterns, each naming at least one layer of the model; null after an error. */
    private List<LayerPattern> freeze(Stmt.Setting s, ModelGraph model) {
        Value v = binder.coerce(s.value(), new Type.ListOf(new Type.Str()), "freeze", constants, Binder.Values.NONE);
        if (v == null) return null;
        List<Value> items = ((Value.List_) v).items();
        List<String> paths = new ArrayList<>();
        if (model != null) for (Node n : model.nodes()) if (n instanceof Node.Apply a) paths.add(a.path());
        List<LayerPattern> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            LayerPattern p = new LayerPattern(((Value.Str) items.get(i)).value());
            Span at = s.value() instanceof Expr.ListLit l && l.items().size() == items.size() ? l.items().get(i).span() : s.value().span();
            if (model != null && paths.stream().noneMatch(p::matches)) {
                String guess = Spelling.suggest(p.text(), paths);
                report.error(at, "freeze pattern \"" + p.text() + "\" names no layer of " + model.instance()
                                + (guess == null ? "" : " (did you mean \"" + guess + "\"?)"),
                        "layers are named by path as 'eff summary' prints them, e.g. " + (paths.isEmpty() ? "block1" : paths.get(0))
                                + "; * matches any characters");
                ok = false;
            }
            out.add(p);
        }
        return ok ? out : null;
    }

    /** "/", "runs/", "." or "..": no file name to write a checkpoint to. */
    private static boolean namesAFolder(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return !path.isEmpty() && (last.isEmpty() || last.equals(".") || last.equals(".."));
    }

    private static Span keyword(Span statement, String word) {
        return new Span(statement.source(), statement.start(), statement.start() + word.length());
    }

    private void evaluate(Stmt.Evaluate e) {
        DataBinding d = dataRef(e.data());
        String split = d == null ? null : split(e.data(), d, "test");
        ModelGraph model = instance(e.model(), d);
        if (model != null) IdRanges.check(model, d, report);
        List<Stmt.Setting> metricsWritten = new ArrayList<>();
        List<Stmt.Setting> keyed = new ArrayList<>();
        for (Stmt.Setting s : e.settings()) (s.key() == null ? metricsWritten : keyed).add(s);
        Map<String, Stmt.Setting> settings = settings(keyed, EVAL_SETTINGS, "evaluate");
        Long batch = intSetting(settings.get("batch"), 1, DEFAULT_EVAL_BATCH);
        List<Value.Call> metrics = new ArrayList<>();
        boolean ok = true;
        for (Stmt.Setting s : metricsWritten) {
            Value.Call m = callSetting(s.value(), Kind.METRIC, "metric");
            if (m == null) {
                ok = false;
                continue;
            }
            if (model != null && d != null) ok &= target(m, model, d);
            metrics.add(m);
        }
        if (metricsWritten.isEmpty()) {
            report.error(keyword(e.span(), "evaluate"), "evaluate needs at least one metric",
                    catalog.names(Kind.METRIC).isEmpty() ? null
                            : "e.g. evaluate " + e.model().name().text() + " on " + e.data().name().text() + " { "
                            + catalog.names(Kind.METRIC).iterator().next() + " }; metrics: " + Spelling.list(catalog.names(Kind.METRIC)));
            ok = false;
        }
        if (model != null && !trained.contains(model.instance())) {
            report.warning(e.model().span(), "model " + model.instance() + " is evaluated before any 'train' of it, with its initial weights",
                    null);
        }
        if (!ok || model == null || d == null || split == null || batch == null) return;
        used.put(model.instance(), new Use(d, split));
        jobs.add(new EvalJob(e.span(), model, d, split, metrics, Math.toIntExact(Math.min(batch, Integer.MAX_VALUE))));
    }

    /**
     * {@code NAME MODEL [on DATA.split] { settings }}: NAME is looked up among the program components, the settings
     * bind to its signature as a call's named arguments would (types, ranges, did-you-mean), then the program checks
     * the model and data. Without {@code on DATA}, the model instance must have been used by an earlier statement,
     * whose data it keeps.
     */
    private void program(Stmt.RunProgram p) {
        String name = p.program().text();
        List<ComponentSpec> family = catalog.lookup(Kind.PROGRAM, name);
        if (family.isEmpty() || !(family.get(0) instanceof ProgramSpec spec)) {
            List<String> statements = new ArrayList<>(List.of("import", "let", "data", "model", "train", "evaluate"));
            statements.addAll(catalog.names(Kind.PROGRAM));
            report.error(p.program().span(), "unknown statement '" + name + "'" + Spelling.didYouMean(name, statements),
                    "statements: " + String.join(", ", statements));
            return;
        }
        List<Expr.Arg> args = new ArrayList<>();
        boolean ok = true;
        for (Stmt.Setting s : p.settings()) {
            if (s.key() == null) {
                report.error(s.span(), "expected 'name = value' in the settings of '" + name + "'",
                        name + " settings: " + Spelling.list(spec.signature().params().stream().map(Param::name).toList()));
                ok = false;
            } else {
                args.add(new Expr.Arg(s.span(), s.key(), s.value()));
            }
        }
        Value.Call call = binder.bind(new Expr.Call(p.span(), p.program(), args), Kind.PROGRAM, constants, Binder.Values.NONE);
        DataBinding d = null;
        String split = null;
        ModelGraph model = null;
        if (p.data() != null) {
            if (spec.data() == ProgramSpec.DataUse.NONE) {
                report.error(p.data().span(), name + " takes no data", "write " + name + " " + p.model().name().text() + " { ... }");
                return;
            }
            d = dataRef(p.data());
            split = d == null ? null : split(p.data(), d, spec.defaultSplit());
            model = instance(p.model(), d);
            if (model != null) IdRanges.check(model, d, report);
        } else if (spec.data() == ProgramSpec.DataUse.REQUIRED) {
            report.error(keyword(p.span(), name), name + " needs data: " + name + " MODEL on DATA.split { ... }",
                    "e.g. " + name + " " + p.model().name().text() + " on " + (data.isEmpty() ? "data" : data.keySet().iterator().next())
                            + "." + spec.defaultSplit() + " { ... }");
            return;
        } else {
            model = usedInstance(p.model(), name);
            Use u = model == null ? null : used.get(model.instance());
            if (u != null) {
                d = u.data();
                split = u.split();
            }
        }
        Map<String, ModelGraph> named = d == null ? null : namedModels(spec, p, d, name);
        if (call == null || !ok || model == null || d == null || split == null || named == null) return;
        try {
            spec.check(call.asArgs(), model, named, d, split);
        } catch (ProgramSpec.Problem e) {
            Span at = p.model().span();
            for (Stmt.Setting s : p.settings()) if (s.key() != null && s.key().text().equals(e.setting())) at = s.value().span();
            report.error(at, name + ": " + e.getMessage(), e.hint());
            return;
        } catch (RuntimeException e) {
            report.error(p.span(), "internal error in program '" + name + "': " + e, "this is a bug in the component, not in the script");
            return;
        }
        jobs.add(new ProgramJob(p.span(), call, model, d, split, named));
    }

    /**
     * The instances the statement's settings of type {@link Type.Model} name ({@code large = cnn}), built for its data
     * {@code d}, each of which an earlier statement must have trained; null after reporting why not.
     */
    private Map<String, ModelGraph> namedModels(ProgramSpec spec, Stmt.RunProgram p, DataBinding d, String statement) {
        Map<String, ModelGraph> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Stmt.Setting s : p.settings()) {
            Param param = s.key() == null ? null : spec.signature().param(s.key().text()).orElse(null);
            if (param == null || !(param.type() instanceof Type.Model)) continue;
            Stmt.ModelRef ref = s.value() instanceof Expr.Call c ? new Stmt.ModelRef(c.span(), c.name(), c.args())
                    : s.value() instanceof Expr.Name n && n.path().size() == 1 ? new Stmt.ModelRef(n.span(), n.path().get(0), List.of())
                    : null;
            if (ref == null) continue; // the binder has said what a model setting takes
            ModelGraph g = instance(ref, d);
            if (g != null && !trained.contains(g.instance())) {
                report.error(s.value().span(), "model " + g.instance() + " is not trained before this " + statement,
                        "train it first: train " + ref.span().text() + " on " + d.name() + " { ... }");
                g = null;
            }
            if (g == null) ok = false;
            else out.put(param.name(), g);
        }
        return ok ? out : null;
    }

    /** The instance {@code ref} names, as built by an earlier statement with data; null after reporting why not. */
    private ModelGraph usedInstance(Stmt.ModelRef ref, String statement) {
        String name = ref.name().text();
        Map<String, Value> params = parameters(ref);
        if (params == null) return null;
        String key = instanceKey(name, new Args(params));
        ModelGraph g = used.containsKey(key) ? models.get(key) : null;
        if (g == null) {
            report.error(ref.span(), "model " + key + " is not trained or evaluated before this " + statement,
                    "train it first (its input shapes come from its data), or name data: " + statement + " " + ref.span().text()
                            + " on DATA.split { ... }");
        }
        return g;
    }

    /** Keyed settings by name; unknown, bare (where a key is needed) and repeated ones are reported. */
    private Map<String, Stmt.Setting> settings(List<Stmt.Setting> written, List<String> known, String statement) {
        Map<String, Stmt.Setting> out = new LinkedHashMap<>();
        misspeltSetting = false;
        for (Stmt.Setting s : written) {
            if (s.key() == null) {
                report.error(s.span(), "expected 'name = value' in the settings of '" + statement + "'",
                        statement + " settings: " + Spelling.list(known));
                continue;
            }
            String k = s.key().text();
            if (!known.contains(k)) {
                report.error(s.key().span(), "unknown setting '" + k + "' of '" + statement + "'" + Spelling.didYouMean(k, known),
                        statement + " settings: " + Spelling.list(known));
                misspeltSetting = true;
                continue;
            }
            Stmt.Setting first = out.putIfAbsent(k, s);
            if (first != null) {
                report.error(s.key().span(), "setting '" + k + "' is given twice",
                        "it was already set at " + first.span().line() + ":" + first.span().column());
            }
        }
        return out;
    }

    /** The setting's int value, {@code dflt} when absent, or null after an error. */
    private Long intSetting(Stmt.Setting s, long min, long dflt) {
        return intSetting(s, Type.atLeast(min), dflt);
    }

    private Long intSetting(Stmt.Setting s, Type.Int type, long dflt) {
        if (s == null) return dflt;
        Value v = binder.coerce(s.value(), type, s.key().text(), constants, Binder.Values.NONE);
        return v == null ? null : ((Value.Int) v).value();
    }

    private Value.Call callSetting(Expr e, Kind kind, String what) {
        if (e instanceof Expr.Call c) return binder.bind(c, kind, constants, Binder.Values.NONE);
        if (e instanceof Expr.Name n) return binder.bindWord(n, kind, constants);
        report.error(e.span(), "expected " + what + " call, got '" + e.span().text() + "'",
                catalog.names(kind).isEmpty() ? null : "known: " + Spelling.list(catalog.names(kind)));
        return null;
    }

    private Value.Call defaultCall(Kind kind, String name, Stmt.Train t) {
        if (catalog.lookup(kind, name).isEmpty()) {
            report.error(keyword(t.span(), "train"), "no default " + kind.word() + " '" + name + "' is available",
                    "set " + (kind == Kind.LOSS ? "loss" : "optimizer") + " = ... in the settings");
            return null;
        }
        return binder.bind(new Expr.Call(t.span(), new dev.eff.dsl.ast.Ident(t.span(), name), List.of()), kind, constants,
                Binder.Values.NONE);
    }

    /** A loss: a call, a bare loss name, or arithmetic over losses and numbers. */
    private Value loss(Expr e) {
        Value v = lossTerm(e);
        if (v != null && !containsCall(v)) {
            report.error(e.span(), "the loss must include at least one loss call", "e.g. loss = crossEntropy()");
            return null;
        }
        return v;
    }

    private Value lossTerm(Expr e) {
        if (e instanceof Expr.Call c) return binder.bind(c, Kind.LOSS, constants, Binder.Values.NONE);
        if (e instanceof Expr.Name n && n.path().size() > 1 && n.path().get(0).text().equals("aux")) {
            if (n.path().size() == 2) return new Value.Aux(n.path().get(1).text(), n.span());
            report.error(n.span(), "expected aux.NAME, got '" + n.dotted() + "'", "an auxiliary loss is named by one word, e.g. aux.balance");
            return null;
        }
        if (e instanceof Expr.IntLit || e instanceof Expr.FloatLit) return binder.folder().fold(e, constants);
        if (e instanceof Expr.Name n) {
            if (!dev.eff.dsl.resolve.Folder.isFreeWord(n, constants)) {
                Value v = constants.lookup(n.dotted());
                if (v instanceof Value.Int || v instanceof Value.Float) return v;
                report.error(n.span(), "expected a number or a loss, got " + Binder.show(v) + " (from '" + n.dotted() + "')", null);
                return null;
            }
            return binder.bindWord(n, Kind.LOSS, constants);
        }
        if (e instanceof Expr.Neg n) {
            Value v = lossTerm(n.operand());
            if (v == null) return null;
            if (!isTerm(v)) return binder.folder().fold(e, constants);
            return new Value.Formula("*", new Value.Float(-1), v);
        }
        if (e instanceof Expr.Binary b) {
            Value l = lossTerm(b.left());
            Value r = lossTerm(b.right());
            if (l == null || r == null) return null;
            if (!isTerm(l) && !isTerm(r)) return binder.folder().fold(e, constants);
            return new Value.Formula(b.op().symbol, l, r);
        }
        report.error(e.span(), "expected a loss, got '" + e.span().text() + "'",
                "a loss is a call such as crossEntropy(), or arithmetic over losses and numbers");
        return null;
    }

    private static boolean containsCall(Value v) {
        if (v instanceof Value.Call) return true;
        return v instanceof Value.Formula f && (containsCall(f.left()) || containsCall(f.right()));
    }

    /** A loss call or an auxiliary loss, or a formula over them: not a number to fold. */
    private static boolean isTerm(Value v) {
        if (v instanceof Value.Call || v instanceof Value.Aux) return true;
        return v instanceof Value.Formula f && (isTerm(f.left()) || isTerm(f.right()));
    }

    /** Each {@code aux.NAME} of the loss must name an auxiliary loss a layer of the trained model declares. */
    private void auxTerms(Value v, ModelGraph model) {
        if (v instanceof Value.Formula f) {
            auxTerms(f.left(), model);
            auxTerms(f.right(), model);
        }
        if (!(v instanceof Value.Aux a)) return;
        Set<String> emitted = new java.util.TreeSet<>();
        for (Node n : model.nodes()) {
            if (n instanceof Node.Apply ap) {
                for (SideOutput s : ap.spec().sideOutputs(ap.args())) if (s.role() == SideOutput.Role.AUX) emitted.add(s.name());
            }
        }
        if (emitted.contains(a.name())) return;
        Map<String, Set<String>> sources = auxSources();
        String list = emitted.isEmpty() ? "no layer of " + model.instance() + " emits an auxiliary loss"
                : model.instance() + " emits " + Spelling.list(emitted.stream().map(x -> "aux." + x).toList());
        if (!sources.containsKey(a.name())) {
            Set<String> known = new java.util.TreeSet<>(sources.keySet());
            known.addAll(emitted);
            String guess = Spelling.suggest(a.name(), emitted.isEmpty() ? known : emitted);
            report.error(a.span(), "unknown auxiliary loss 'aux." + a.name() + "'" + (guess == null ? "" : " (did you mean 'aux." + guess + "'?)"),
                    known.isEmpty() ? "no component emits auxiliary losses" : list);
            return;
        }
        report.error(a.span(), "model " + model.instance() + " does not emit auxiliary loss 'aux." + a.name() + "'",
                "it comes from " + String.join(", ", sources.get(a.name())) + "; " + list);
    }

    /** Auxiliary loss name to the layers that can emit it, from the catalog. */
    private Map<String, Set<String>> auxSources() {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        for (String name : catalog.names(Kind.LAYER)) {
            for (ComponentSpec c : catalog.lookup(Kind.LAYER, name)) {
                if (!(c instanceof LayerSpec l)) continue;
                for (SideOutput s : l.possibleSideOutputs()) {
                    if (s.role() == SideOutput.Role.AUX) out.computeIfAbsent(s.name(), k -> new java.util.TreeSet<>()).add(name + "(...)");
                }
            }
        }
        return out;
    }

    private void targets(Value v, ModelGraph model, DataBinding d) {
        if (v instanceof Value.Call c) target(c, model, d);
        else if (v instanceof Value.Formula f) {
            targets(f.left(), model, d);
            targets(f.right(), model, d);
        }
    }

    /** Asks a loss or metric whether it can compare this model's output with the data's labels. */
    private boolean target(Value.Call c, ModelGraph model, DataBinding d) {
        if (!(c.spec() instanceof TargetSpec spec)) {
            report.error(c.span(), "internal error: '" + c.name() + "' cannot check its target", null);
            return false;
        }
        try {
            spec.check(c.asArgs(), model.outputShape(), d.schema().label(), d.schema().classes());
            return true;
        } catch (ShapeException e) {
            String hint = "model " + model.name() + " outputs " + model.outputShape().describe() + "; data '" + d.name()
                    + "' has labels " + d.schema().label().shape().describe()
                    + (d.schema().classes() > 0 ? " with " + d.schema().classes() + " classes" : "");
            report.error(c.span(), c.name() + ": " + e.getMessage(), e.hint() == null ? hint : e.hint() + "; " + hint);
            return false;
        } catch (RuntimeException e) {
            report.error(c.span(), "internal error in '" + c.name() + "': " + e, "this is a bug in the component, not in the script");
            return false;
        }
    }
}
