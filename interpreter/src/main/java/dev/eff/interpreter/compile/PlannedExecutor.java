package dev.eff.interpreter.compile;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.ReduceOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.BaseReduceOp;
import org.nd4j.linalg.api.ops.impl.shape.Concat;
import org.nd4j.linalg.api.ops.impl.shape.ExpandDims;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.shape.OnesAs;
import org.nd4j.linalg.api.ops.impl.shape.OnesLike;
import org.nd4j.linalg.api.ops.impl.shape.Rank;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;
import org.nd4j.linalg.api.ops.impl.shape.Size;
import org.nd4j.linalg.api.ops.impl.shape.Squeeze;
import org.nd4j.linalg.api.ops.impl.shape.Stack;
import org.nd4j.linalg.api.ops.impl.shape.StridedSlice;
import org.nd4j.linalg.api.ops.impl.shape.ZerosLike;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Fill;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.BaseOp;

/**
 * Runs a SameDiff graph for one fixed list of wanted outputs by a plan made once, instead of SameDiff's session.
 *
 * <p>SameDiff's {@code output} works out, on every call, which ops the outputs need and in what order (a dependency
 * tracker over frames and iterations, built for control flow), looks every argument up through several maps and
 * asks a memory manager for every array. On a small model that bookkeeping costs as much as the kernels. A graph
 * without control flow needs none of it at run time: this executor orders the needed ops once, gives each op a
 * fixed slot for each of its inputs and outputs and one reusable op context, and recycles intermediate arrays
 * through a pool keyed by type and shape. An intermediate goes back to the pool after its last reader has run;
 * since the op sequence and shapes repeat from call to call, after the first call no array is allocated but the
 * wanted outputs, which are the caller's to keep. Two kinds of op cost no kernel call in the steady state: a c-order
 * reshape of a c-contiguous array is a view of it (its readers keep the array from the pool), and the shape
 * computations around a lowering (shape_of, slices and concatenations of shapes, fills of them) are computed once
 * per input signature and kept.
 *
 * <p>Per op it does what SameDiff's {@code InferenceSession} does for the same op (argument arrays, the legacy
 * ops' axis and scalar inputs, output shapes from the op, output types from the graph's variables). Graphs with
 * control flow or ops that execute specially in SameDiff are not planned: {@link #plan} returns empty and the
 * caller keeps SameDiff's session. Not thread-safe: one call at a time (the callers own one executor per graph).
 */
public final class PlannedExecutor {

    private static final int PLACEHOLDER = 0, CONSTANT = 1, COMPUTED = 2;

    /**
     * One op of the plan: its function, input and output slots, the slots whose last reader it is, and what it
     * remembers from its previous run: the arrays its op context already holds (passing an array to native code
     * costs a call, and in a steady state the pool hands every op the same arrays) and its output shapes for the
     * inputs' signature (shape calculation allocates native argument lists on every call).
     */
    private static final class Step {
        final String name;
        final boolean identity;
        /** A c-order reshape: a view of its input when that is c-contiguous, instead of a copy. */
        final boolean reshape;
        /**
         * Whether the outputs are a function of the inputs' signature alone (the shape computations around a
         * lowering: shape_of, slices and concatenations of shapes, fills of them), so that they are computed once
         * per signature and kept; and whether the inputs' values are part of that signature.
         */
        final boolean folded, shapeOnly;
        INDArray[] kept;
        final int[] in, out, release;
        final OpContext ctx;
        final DataType[] outTypes;
        final Legacy legacy;
        final INDArray[] ctxIn, ctxOut;
        long[][] sigShapes;
        DataType[] sigTypes;
        long[][] sigValues;
        LongShapeDescriptor[] shapes;
        ShapeKey[] keys;

        Step(SameDiffOp op, int[] in, int[] out, int[] release, DataType[] outTypes, Legacy legacy, boolean folded) {
            DifferentialFunction fn = op.getOp();
            this.name = op.getName();
            this.identity = fn instanceof Identity;
            long[] iArgs = fn instanceof DynamicCustomOp c ? c.iArgs() : new long[0];
            this.reshape = fn instanceof Reshape && (iArgs.length == 0 || Math.abs(iArgs[0]) == 'c');
            this.folded = folded;
            this.shapeOnly = SHAPE_ONLY.contains(fn.getClass());
            this.in = in;
            this.out = out;
            this.release = release;
            this.outTypes = outTypes;
            this.legacy = legacy;
            ctx = Nd4j.getExecutioner().buildContext();
            if (fn instanceof DynamicCustomOp c) {
                // Fixed when the graph was built; set once.
                ctx.setIArguments(c.iArgs());
                ctx.setTArguments(c.tArgs());
                ctx.setBArguments(c.bArgs());
                ctx.setDArguments(c.dArgs());
            }
            ctxIn = new INDArray[in.length];
            ctxOut = new INDArray[out.length];
        }

        void input(int i, INDArray a) {
            if (ctxIn[i] != a) {
                ctx.setInputArray(i, a);
                ctxIn[i] = a;
            }
        }

        void output(int i, INDArray a) {
            if (ctxOut[i] != a) {
                ctx.setOutputArray(i, a);
                ctxOut[i] = a;
            }
        }

        /**
         * Whether the inputs have the types and shapes of the previous run, and integer or boolean inputs the same
         * values (an op's output shape may depend on those: a reshape's target, a fill's shape). Large integer
         * inputs (token ids, indices) are never compared: ops that read them are shape-calculated every run.
         */
        boolean sameSignature(INDArray[] args) {
            if (sigShapes == null) return false;
            for (int i = 0; i < args.length; i++) {
                INDArray a = args[i];
                if (a.dataType() != sigTypes[i] || !Arrays.equals(a.shape(), sigShapes[i])) return false;
                if (sigValues[i] != null && !Arrays.equals(values(a), sigValues[i])) return false;
            }
            return true;
        }

        void remember(INDArray[] args, List<LongShapeDescriptor> computed, boolean graphTypes) {
            sigShapes = new long[args.length][];
            sigTypes = new DataType[args.length];
            sigValues = new long[args.length][];
            boolean cacheable = true;
            for (int i = 0; i < args.length; i++) {
                INDArray a = args[i];
                sigShapes[i] = a.shape().clone();
                sigTypes[i] = a.dataType();
                if (!shapeOnly && (a.dataType().isIntType() || a.dataType() == DataType.BOOL)) {
                    if (a.length() > MAX_COMPARED) cacheable = false;
                    else sigValues[i] = values(a);
                }
            }
            shapes = new LongShapeDescriptor[computed.size()];
            keys = new ShapeKey[computed.size()];
            for (int i = 0; i < shapes.length; i++) {
                LongShapeDescriptor d = computed.get(i);
                // As InferenceSession: a custom op's output takes its graph variable's type (shape functions cannot
                // always tell which of several valid types the graph chose).
                if (graphTypes && outTypes[i] != d.dataType()) d = d.asDataType(outTypes[i]);
                shapes[i] = d;
                keys[i] = new ShapeKey(d.dataType(), d.getShape(), d.getOrder());
            }
            if (!cacheable) sigShapes = null;
        }

        private static long[] values(INDArray a) {
            return a.isEmpty() ? new long[0] : a.dataType() == DataType.BOOL ? a.castTo(DataType.LONG).toLongVector() : a.reshape(-1).toLongVector();
        }
    }

    /** Integer inputs up to this length take part in an op's shape signature. */
    private static final int MAX_COMPARED = 64;

    /** Ops whose outputs depend on their inputs' shapes and types only. */
    private static final Set<Class<?>> SHAPE_ONLY = Set.of(org.nd4j.linalg.api.ops.impl.shape.Shape.class, Size.class,
            Rank.class, OnesAs.class, ZerosLike.class, OnesLike.class);
    /** Ops whose outputs depend on their inputs (and fixed arguments) only: folded when those inputs are. */
    private static final Set<Class<?>> PURE = Set.of(StridedSlice.class, Concat.class, Stack.class, Fill.class,
            Gather.class, Reshape.class, ExpandDims.class, Squeeze.class);

    /** How a legacy (non-custom) op takes its second argument, as InferenceSession decides. */
    private enum Legacy { NONE, AXIS, SCALAR, PLAIN }

    private final String[] names;            // slot -> variable name
    private final int[] kinds;               // slot -> PLACEHOLDER | CONSTANT | COMPUTED
    private final DataType[] types;          // slot -> the graph variable's type
    private final Step[] steps;
    private final int[] wanted;              // slots of the wanted outputs, in the asked order
    private final String[] wantedNames;
    private final boolean[] isWanted;
    private final Map<ShapeKey, ArrayDeque<INDArray>> pool = new HashMap<>();
    private final INDArray[] values;
    private final IdentityHashMap<INDArray, Boolean> fresh = new IdentityHashMap<>();
    /** Views made by reshapes, to the array whose buffer they share: the view's readers hold that array. */
    private final IdentityHashMap<INDArray, INDArray> bases = new IdentityHashMap<>();
    private long allocations;

    private PlannedExecutor(SameDiff sd, List<String> names, int[] kinds, List<Step> steps, String[] wantedNames) {
        this.names = names.toArray(String[]::new);
        this.kinds = kinds;
        this.types = names.stream().map(n -> sd.getVariable(n).dataType()).toArray(DataType[]::new);
        this.steps = steps.toArray(Step[]::new);
        this.wantedNames = wantedNames.clone();
        Map<String, Integer> slotOf = new HashMap<>();
        for (int i = 0; i < this.names.length; i++) slotOf.put(this.names[i], i);
        wanted = Arrays.stream(wantedNames).mapToInt(slotOf::get).toArray();
        isWanted = new boolean[this.names.length];
        for (int w : wanted) isWanted[w] = true;
        values = new INDArray[this.names.length];
    }

    /** Each graph's plans by wanted outputs; weak and by identity, so a graph no longer used takes its plans along. */
    private static final Cache<SameDiff, Map<List<String>, Optional<PlannedExecutor>>> PLANS =
            Caffeine.newBuilder().weakKeys().build();

    /**
     * {@code outputs} of {@code sd} for {@code feed}, computed by the graph's plan for them (made on first use) or,
     * when the graph cannot be planned, by SameDiff's session. Returned arrays are the caller's. The way every
     * Eff program runs a graph.
     */
    public static Map<String, INDArray> output(SameDiff sd, Map<String, INDArray> feed, List<String> outputs) {
        return output(sd, feed, outputs, List.of());
    }

    /** As above, for varargs callers. */
    public static Map<String, INDArray> output(SameDiff sd, Map<String, INDArray> feed, String... outputs) {
        return output(sd, feed, List.of(outputs), List.of());
    }

    /** As above, with SameDiff listeners told of every op. */
    public static Map<String, INDArray> output(SameDiff sd, Map<String, INDArray> feed, List<String> outputs,
                                               List<Listener> listeners) {
        Optional<PlannedExecutor> plan = Boolean.getBoolean(SESSION_PROPERTY) ? Optional.empty()
                : PLANS.get(sd, g -> new java.util.concurrent.ConcurrentHashMap<>())
                        .computeIfAbsent(List.copyOf(outputs), o -> plan(sd, o));
        if (plan.isPresent()) return plan.get().run(sd, feed, listeners);
        Map<String, INDArray> out = listeners.isEmpty() ? sd.output(feed, outputs)
                : sd.batchOutput().output(outputs.toArray(String[]::new)).inputs(feed)
                        .listeners(listeners.toArray(Listener[]::new)).output();
        // SameDiff's session may recycle what it returned once its array cache is on.
        Map<String, INDArray> copies = new LinkedHashMap<>();
        out.forEach((name, a) -> copies.put(name, a.dup()));
        return copies;
    }

    /** Set to true, graphs run by SameDiff's own session instead (to compare the two). */
    public static final String SESSION_PROPERTY = "eff.samediffSession";

    /**
     * The plan for computing {@code outputs} of {@code sd}, or empty when the ops they need include one this
     * executor does not run the way SameDiff would (control flow, tensor arrays, views, in-place assignment).
     */
    public static Optional<PlannedExecutor> plan(SameDiff sd, List<String> outputs) {
        Map<String, SameDiffOp> ops = sd.getOps();
        Map<String, Variable> vars = sd.getVariables();
        List<String> order = new ArrayList<>();             // op names, inputs before readers
        Map<String, Boolean> visited = new HashMap<>();
        for (String out : outputs) {
            Variable v = vars.get(out);
            if (v == null) throw new IllegalArgumentException("no variable '" + out + "' in the graph");
            if (v.getOutputOfOp() != null && !visit(v.getOutputOfOp(), ops, vars, visited, order)) return Optional.empty();
        }
        List<String> slotNames = new ArrayList<>();
        Map<String, Integer> slotOf = new HashMap<>();
        List<Integer> kindList = new ArrayList<>();
        java.util.function.Function<String, Integer> slot = name -> slotOf.computeIfAbsent(name, n -> {
            slotNames.add(n);
            SDVariable v = sd.getVariable(n);
            VariableType t = v.getVariableType();
            kindList.add(t == VariableType.PLACEHOLDER ? PLACEHOLDER
                    : t == VariableType.VARIABLE || t == VariableType.CONSTANT ? CONSTANT : COMPUTED);
            return slotNames.size() - 1;
        });
        for (String o : outputs) slot.apply(o);
        List<int[]> ins = new ArrayList<>(), outs = new ArrayList<>();
        for (String name : order) {
            SameDiffOp op = ops.get(name);
            String[] args = op.getOp().argNames();
            ins.add(args == null ? new int[0] : Arrays.stream(args).mapToInt(slot::apply).toArray());
            outs.add(op.getOutputsOfOp().stream().mapToInt(slot::apply).toArray());
        }
        // The last reader of each computed slot frees it (wanted slots are never freed).
        int[] lastReader = new int[slotNames.size()];
        Arrays.fill(lastReader, -1);
        for (int s = 0; s < order.size(); s++) for (int i : ins.get(s)) lastReader[i] = s;
        List<List<Integer>> release = new ArrayList<>();
        for (int s = 0; s < order.size(); s++) release.add(new ArrayList<>());
        Map<String, Integer> producer = new HashMap<>();
        for (int s = 0; s < order.size(); s++) for (int o : outs.get(s)) producer.put(slotNames.get(o), s);
        for (int i = 0; i < slotNames.size(); i++) {
            if (kindList.get(i) != COMPUTED) continue;
            Integer p = producer.get(slotNames.get(i));
            // An output no op reads is freed right after its op; one read is freed after its last reader.
            int at = lastReader[i] >= 0 ? lastReader[i] : p == null ? -1 : p;
            if (at >= 0) release.get(at).add(i);
        }
        int[] kinds = kindList.stream().mapToInt(Integer::intValue).toArray();
        // Slots whose values the signature of a step that reads them fixes: integer and boolean ones (compared by
        // value when small, and a step with a large one is never kept) and the outputs of folded steps. A float
        // graph array is not: a buffer such as the performer's random features changes between calls.
        boolean[] fixed = new boolean[slotNames.size()];
        for (int i = 0; i < fixed.length; i++) {
            DataType t = sd.getVariable(slotNames.get(i)).dataType();
            fixed[i] = t.isIntType() || t == DataType.BOOL;
        }
        List<Step> steps = new ArrayList<>();
        for (int s = 0; s < order.size(); s++) {
            SameDiffOp op = ops.get(order.get(s));
            DifferentialFunction fn = op.getOp();
            boolean folded = fn instanceof DynamicCustomOp && (SHAPE_ONLY.contains(fn.getClass())
                    || PURE.contains(fn.getClass()) && Arrays.stream(ins.get(s)).allMatch(i -> fixed[i]));
            if (folded) for (int o : outs.get(s)) fixed[o] = true;
            String[] outNames = op.getOutputsOfOp().toArray(String[]::new);
            DataType[] types = Arrays.stream(outNames).map(n -> sd.getVariable(n).dataType()).toArray(DataType[]::new);
            Legacy legacy = Legacy.NONE;
            if (!(fn instanceof CustomOp)) {
                int nArgs = ins.get(s).length;
                if (fn instanceof ReduceOp r && r.getOpType() != Op.Type.REDUCE3 && nArgs == 2) legacy = Legacy.AXIS;
                else if (fn instanceof ScalarOp && nArgs == 2) legacy = Legacy.SCALAR;
                else legacy = Legacy.PLAIN;
            }
            int[] rel = release.get(s).stream().mapToInt(Integer::intValue).toArray();
            steps.add(new Step(op, ins.get(s), outs.get(s), rel, types, legacy, folded));
        }
        return Optional.of(new PlannedExecutor(sd, slotNames, kinds, steps, outputs.toArray(String[]::new)));
    }

    private static boolean visit(String opName, Map<String, SameDiffOp> ops, Map<String, Variable> vars,
                                 Map<String, Boolean> visited, List<String> order) {
        Boolean seen = visited.get(opName);
        if (seen != null) return true;
        visited.put(opName, Boolean.TRUE);
        SameDiffOp op = ops.get(opName);
        if (!supported(op.getOp())) return false;
        List<String> deps = new ArrayList<>();
        if (op.getInputsToOp() != null) deps.addAll(op.getInputsToOp());
        if (op.getControlDeps() != null) deps.addAll(op.getControlDeps());
        for (String in : deps) {
            Variable v = vars.get(in);
            if (v != null && v.getOutputOfOp() != null && !visit(v.getOutputOfOp(), ops, vars, visited, order)) return false;
        }
        if (op.getVarControlDeps() != null && !op.getVarControlDeps().isEmpty()) return false;
        order.add(opName);
        return true;
    }

    /** Plain array ops; what SameDiff's session runs specially (control flow, tensor arrays, views, Assign) is not. */
    private static boolean supported(DifferentialFunction fn) {
        String pkg = fn.getClass().getName();
        if (pkg.contains(".controlflow.") || pkg.contains(".shape.tensorops.") || pkg.contains("ExternalErrorsFunction"))
            return false;
        String n = fn.getClass().getSimpleName();
        if (n.equals("Assign") || n.equals("CreateView") || n.equals("Invoke") || n.equals("Assert")) return false;
        return fn instanceof CustomOp || fn instanceof Op;
    }

    /** Intermediate arrays allocated so far, over all runs (not counting the wanted outputs). */
    public long allocations() { return allocations; }

    /** The number of ops the plan runs. */
    public int ops() { return steps.length; }

    /** The wanted outputs' values for one feed of the placeholders of {@code sd}, the graph this plan was made for. */
    public Map<String, INDArray> run(SameDiff sd, Map<String, INDArray> feed) { return run(sd, feed, List.of()); }

    /**
     * As {@link #run(SameDiff, Map)}, telling {@code listeners} before and after every op (a profiler's timer). The
     * plan keeps op names, not the graph, so that the cache of plans by graph does not keep graphs alive.
     */
    public synchronized Map<String, INDArray> run(SameDiff sd, Map<String, INDArray> feed, List<Listener> listeners) {
        Map<String, SameDiffOp> ops = sd.getOps();
        IdentityHashMap<INDArray, int[]> holders = new IdentityHashMap<>();   // pooled array -> live slots holding it
        for (int i = 0; i < names.length; i++) {
            if (kinds[i] == PLACEHOLDER) {
                INDArray a = feed.get(names[i]);
                if (a == null) throw new IllegalArgumentException("no value for placeholder '" + names[i] + "'");
                // As SameDiff's session: a placeholder fed in another type is cast to the declared one.
                values[i] = a.dataType() == types[i] ? a : a.castTo(types[i]);
            } else if (kinds[i] == CONSTANT) {
                values[i] = sd.getArrForVarName(names[i]);
            } else {
                values[i] = null;
            }
        }
        At at = listeners.isEmpty() ? null : At.builder().operation(Operation.INFERENCE).build();
        for (Step s : steps) {
            INDArray[] args = new INDArray[s.in.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = values[s.in[i]];
                if (args[i] == null) throw new IllegalStateException("op " + s.name + " reads '" + names[s.in[i]] + "' before it is computed");
            }
            SameDiffOp op = ops.get(s.name);
            for (Listener l : listeners) if (l.isActive(Operation.INFERENCE)) l.preOpExecution(sd, at, op, s.ctx);
            INDArray[] results = execute(s, op.getOp(), args, holders);
            for (int i = 0; i < s.out.length; i++) values[s.out[i]] = results[i];
            for (Listener l : listeners) if (l.isActive(Operation.INFERENCE)) l.opExecution(sd, at, null, op, s.ctx, results);
            for (int r : s.release) free(r, holders);
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < wanted.length; i++) {
            INDArray v = values[wanted[i]];
            // Only arrays allocated for a wanted output are the caller's: one that is an identity of a pooled
            // array, a graph variable or a placeholder is copied, as the pool and the graph change after the call.
            out.put(wantedNames[i], fresh.containsKey(v) ? v : v.dup());
        }
        for (INDArray a : holders.keySet()) release(a);
        fresh.clear();
        bases.clear();
        Arrays.fill(values, null);
        return out;
    }

    private INDArray[] execute(Step s, DifferentialFunction fn, INDArray[] args, IdentityHashMap<INDArray, int[]> holders) {
        if (s.identity) {
            hold(args[0], holders);
            return new INDArray[] {args[0]};
        }
        INDArray[] outs = new INDArray[s.out.length];
        if (s.legacy == Legacy.NONE) {
            DynamicCustomOp op = (DynamicCustomOp) fn;
            boolean same = s.sameSignature(args);
            if (same && s.kept != null) return s.kept;
            for (int i = 0; i < args.length; i++) s.input(i, args[i]);
            if (!same) {
                s.kept = null;
                List<LongShapeDescriptor> shapes = op.calculateOutputShape(s.ctx);
                if (shapes == null || shapes.size() != outs.length)
                    throw new IllegalStateException("op " + s.name + ": " + (shapes == null ? 0 : shapes.size())
                            + " output shapes for " + outs.length + " outputs");
                s.remember(args, shapes, true);
            }
            if (s.reshape && !s.folded && !isWanted[s.out[0]]) {
                INDArray view = view(args[0], s.shapes[0]);
                if (view != null) {
                    bases.put(view, bases.getOrDefault(args[0], args[0]));
                    hold(view, holders);
                    return new INDArray[] {view};
                }
            }
            // Kept only when the signature can be compared (no large integer input): a kept output is the step's own,
            // never pooled, never handed out to the caller (copied if wanted).
            boolean keep = s.folded && s.sigShapes != null;
            for (int i = 0; i < outs.length; i++) {
                outs[i] = keep ? Nd4j.create(s.shapes[i], false) : allocate(s.shapes[i], s.keys[i], s.out[i], holders);
                s.output(i, outs[i]);
            }
            Nd4j.exec(op, s.ctx);
            if (keep) s.kept = outs;
            return outs;
        }
        Op op = (Op) fn;
        if (s.legacy == Legacy.AXIS) {
            INDArray axis = args[1];
            if (!axis.isEmpty()) {
                fn.setDimensions(Shape.normalizeAxis(args[0].rank(), axis.toIntVector()));
                ((BaseReduceOp) op).setEmptyReduce(false);
            } else {
                fn.setDimensions(null);
                ((BaseReduceOp) op).setEmptyReduce(true);
            }
            s.input(0, args[0]);
        } else {
            // As InferenceSession: the second argument of a scalar op is its scalar; a legacy op with more than two
            // arguments gets only the first.
            if (s.legacy == Legacy.SCALAR) ((ScalarOp) op).setScalar(args[1]);
            s.input(0, args[0]);
            if (args.length == 2) s.input(1, args[1]);
        }
        if (!s.sameSignature(args)) {
            boolean emptyReduce = s.legacy == Legacy.AXIS && args[1].isEmpty();
            s.remember(args, emptyReduce ? List.of(LongShapeDescriptor.fromShape(args[0].shape(), args[0].dataType()))
                    : ((BaseOp) op).calculateOutputShape(s.ctx), false);
        }
        outs[0] = allocate(s.shapes[0], s.keys[0], s.out[0], holders);
        s.output(0, outs[0]);
        Nd4j.exec(op, s.ctx);
        return outs;
    }

    /**
     * {@code a} reshaped to {@code shape} without a copy, or null when that needs one: a c-order reshape of an
     * array with c-order strides keeps every element's position in the buffer.
     */
    private static INDArray view(INDArray a, LongShapeDescriptor shape) {
        if (a.isEmpty() || a.ordering() != 'c' || a.dataType() != shape.dataType() || !Shape.hasDefaultStridesForShape(a)) return null;
        return a.reshape('c', shape.getShape());
    }

    /** An array of the shape from the pool (or new). */
    private INDArray allocate(LongShapeDescriptor shape, ShapeKey key, int slot, IdentityHashMap<INDArray, int[]> holders) {
        if (isWanted[slot] || shape.isEmpty()) {
            INDArray a = Nd4j.create(shape, false);
            fresh.put(a, Boolean.TRUE);
            return a;
        }
        ArrayDeque<INDArray> free = pool.get(key);
        INDArray a;
        if (free == null || free.isEmpty()) {
            a = Nd4j.create(shape, false);
            allocations++;
        } else {
            a = free.pop();
        }
        holders.put(a, new int[] {1});
        return a;
    }

    private void hold(INDArray a, IdentityHashMap<INDArray, int[]> holders) {
        int[] n = holders.get(bases.getOrDefault(a, a));
        if (n != null) n[0]++;
    }

    private void free(int slot, IdentityHashMap<INDArray, int[]> holders) {
        INDArray a = values[slot];
        if (a == null || isWanted[slot]) return;
        a = bases.getOrDefault(a, a);
        int[] n = holders.get(a);
        if (n == null) return;                          // a graph array or a placeholder seen through an identity
        if (--n[0] > 0) return;
        holders.remove(a);
        release(a);
    }

    private void release(INDArray a) {
        pool.computeIfAbsent(new ShapeKey(a.dataType(), a.shape(), a.ordering()), k -> new ArrayDeque<>()).push(a);
    }

    /** The pool's key: arrays of one type, shape and order are interchangeable. */
    private record ShapeKey(DataType type, long[] shape, char order) {
        @Override public boolean equals(Object o) {
            return o instanceof ShapeKey k && k.type == type && k.order == order && Arrays.equals(k.shape, shape);
        }
        @Override public int hashCode() { return 31 * (31 * type.hashCode() + order) + Arrays.hashCode(shape); }
    }
}
