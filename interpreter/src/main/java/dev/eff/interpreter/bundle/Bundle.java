package dev.eff.interpreter.bundle;

import dev.eff.interpreter.compile.PlannedExecutor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.programs.Calibration;
import dev.eff.interpreter.run.Eff;
import dev.eff.interpreter.train.Checkpoints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained model in one file ({@code model.effb}), loadable for prediction without the script that trained it.
 *
 * <p>The file is a zip of {@code bundle.json} (the {@link Manifest}: format and version, Eff's version, creation time,
 * seed, metrics, the data schema with the graph's input and output names, every parameter's name, shape and role, the
 * fully resolved configuration and any hook sources), {@code graph.fb} (the model's inference graph with its weights,
 * as SameDiff flatbuffers) and {@code script.eff} (the script's text, for the record). Each entry carries a CRC, so a
 * damaged or truncated file is found on reading. Reading never runs anything from the file: the manifest is plain
 * JSON bound to records, the graph is data for ND4J's own operations, and hook sources are only kept as text.
 *
 * <p>Parameters are named by their model path ({@code block1/residual2/mlp/W1}), without the model instance that
 * prefixes them in the graph; {@link #weights()} and {@link #withWeights} use those names.
 */
public final class Bundle {

    /** What {@code bundle.json}'s {@code format} says, and the newest layout this Eff reads. */
    public static final String FORMAT = "eff bundle";
    public static final int VERSION = 1;
    public static final String EXTENSION = ".effb";

    static final String MANIFEST = "bundle.json", GRAPH = "graph.fb", SCRIPT = "script.eff";

    /**
     * An input or the output: its name in the graph, its shape with -1 for the batch (and any other free size), its
     * element type ({@code int} for token ids, {@code float}), and for token ids the vocabulary size when known (0
     * otherwise).
     */
    public record Field(String name, long[] shape, String dtype, long vocab) {
        /** The shape as NumPy prints it, {@code B} for the batch. */
        public String describe() {
            List<String> dims = new ArrayList<>();
            for (int i = 0; i < shape.length; i++) dims.add(shape[i] < 0 ? (i == 0 ? "B" : "?") : Long.toString(shape[i]));
            return "(" + String.join(", ", dims) + ")";
        }
    }

    /**
     * What the model reads and writes: its inputs in order, its output, the number of classes (0 for regression) and
     * their names (the data's text labels; empty when the classes are only ids), and the data it was trained on.
     */
    public record Schema(List<Field> inputs, Field output, long classes, List<String> classNames, String data) {
        public Schema {
            inputs = List.copyOf(inputs);
            classNames = List.copyOf(classNames);
        }
    }

    /** One variable: its name by model path, its shape and role ({@code trainable}, {@code frozen}, {@code state}). */
    public record Parameter(String name, long[] shape, String role) {}

    /** A hook's source (a custom loss, metric or callback), kept as text: loading a bundle never compiles or runs it. */
    public record Hook(String name, String kind, String language, String source) {}

    /**
     * The JSON part. {@code model} is the model instance ({@code lm(layers=2)}), {@code namespace} the prefix of its
     * variables' graph names, {@code trainingFlag} the scalar placeholder fed 0 at inference (null when absent).
     * {@code configuration} holds every setting the model was built and trained with, defaults written out;
     * {@code calibration} the threshold calibrate chose for its early exit (null when none ran on these weights).
     */
    public record Manifest(String format, int version, String eff, String created, String model, String namespace,
                           long seed, String trainingFlag, Schema schema, List<Parameter> parameters,
                           Map<String, Object> configuration, Map<String, Double> metrics, List<Hook> hooks,
                           Calibration calibration) {
        public Manifest {
            parameters = List.copyOf(parameters);
            hooks = List.copyOf(hooks);
            metrics = Map.copyOf(metrics);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Manifest manifest;
    private final String script;
    private final SameDiff sd;

    private Bundle(Manifest manifest, String script, SameDiff sd) {
        this.manifest = manifest;
        this.script = script;
        this.sd = sd;
    }

    /**
     * A bundle of {@code model}'s inference graph (copied, with the weights it holds now). The schema's fields are
     * taken from the graph; {@code classNames}, {@code data}, {@code vocabs} (per input, 0 when unknown) describe the
     * data; {@code configuration}, {@code metrics} and {@code calibration} (may be null) are recorded as given.
     */
    public static Bundle of(CompiledModel model, String data, List<Long> vocabs, List<String> classNames, long classes,
                            String script, Map<String, Object> configuration, Map<String, Double> metrics, long seed,
                            List<Hook> hooks, Calibration calibration) {
        if (!model.inference()) throw new IllegalArgumentException("a bundle holds an inference graph");
        SameDiff copy;
        try {
            copy = SameDiff.fromFlatBuffers(model.sd().asFlatBuffers(false));
        } catch (IOException e) {
            throw new IllegalStateException("the graph of " + model.graph().instance() + " does not serialise", e);
        }
        List<Field> inputs = new ArrayList<>();
        for (int i = 0; i < model.inputs().size(); i++) {
            inputs.add(field(copy.getVariable(model.inputs().get(i)), i < vocabs.size() ? vocabs.get(i) : 0));
        }
        long[] outShape = new long[model.graph().outputShape().rank()];
        for (int i = 0; i < outShape.length; i++) {
            outShape[i] = model.graph().outputShape().dim(i) instanceof dev.eff.dsl.check.Dim.Fixed f ? f.size() : -1;
        }
        Field output = new Field(model.output(), outShape, "float", 0);
        String namespace = model.variables().namespace();
        List<Parameter> parameters = new ArrayList<>();
        model.variables().all().forEach((name, v) -> {
            if (copy.hasVariable(name)) {
                parameters.add(new Parameter(local(namespace, name), v.array().shape(), v.role().name().toLowerCase(java.util.Locale.ROOT)));
            }
        });
        Manifest m = new Manifest(FORMAT, VERSION, Eff.VERSION, java.time.Instant.now().toString(), model.graph().instance(),
                namespace, seed, copy.hasVariable(model.training()) ? model.training() : null,
                new Schema(inputs, output, classes, classNames, data), parameters, configuration, metrics, hooks, calibration);
        return new Bundle(m, script, copy);
    }

    private static Field field(SDVariable placeholder, long vocab) {
        boolean ints = !placeholder.dataType().isFPType();
        long[] shape = placeholder.placeholderShape() != null ? placeholder.placeholderShape() : placeholder.getShape();
        return new Field(placeholder.name(), shape == null ? new long[0] : shape.clone(), ints ? "int" : "float", ints ? vocab : 0);
    }

    private static String local(String namespace, String name) {
        return !namespace.isEmpty() && name.startsWith(namespace + "/") ? name.substring(namespace.length() + 1) : name;
    }

    public Manifest manifest() { return manifest; }

    public Schema schema() { return manifest.schema(); }

    /** The text of the script the model was trained by. */
    public String script() { return script; }

    /** Writes the bundle to {@code target} atomically (a temporary file beside it, then one rename). */
    public void write(Path target) throws IOException {
        byte[] graph;
        synchronized (this) {
            ByteBuffer b = sd.asFlatBuffers(false);
            graph = new byte[b.remaining()];
            b.get(graph);
        }
        byte[] json = JSON.writeValueAsBytes(manifest);
        Checkpoints.write(target, tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                entry(zip, MANIFEST, json);
                entry(zip, GRAPH, graph);
                entry(zip, SCRIPT, script.getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /** Whether {@code file} looks like a bundle (a zip holding {@code bundle.json}), for refusing to overwrite others. */
    public static boolean looksLikeBundle(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(MANIFEST) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads a bundle written by this or an earlier Eff. A missing, truncated, damaged or foreign file, or one written
     * in a newer format, is a {@link BundleException} that names the file and what is wrong.
     */
    public static Bundle read(Path file) throws BundleException {
        if (!Files.isRegularFile(file)) throw new BundleException(file + ": no such file", null);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            JsonNode json = JSON.readTree(bytes(zip, file, MANIFEST));
            if (json == null || !FORMAT.equals(json.path("format").asText())) {
                throw new BundleException(file + " is not an Eff bundle (its bundle.json names no \"" + FORMAT + "\" format)", null);
            }
            int version = json.path("version").asInt(0);
            if (version > VERSION) {
                throw new BundleException(file + " was written by Eff " + json.path("eff").asText("?") + " in bundle format "
                        + version + "; this Eff (" + Eff.VERSION + ") reads bundle format " + VERSION + " and earlier",
                        "load it with a newer Eff, or save the model again with this one");
            }
            if (version < 1) throw new BundleException(file + ": bundle.json gives no valid format version", null);
            Manifest manifest = JSON.treeToValue(json, Manifest.class);
            String script = new String(bytes(zip, file, SCRIPT), StandardCharsets.UTF_8);
            SameDiff sd;
            try {
                sd = SameDiff.fromFlatBuffers(ByteBuffer.wrap(bytes(zip, file, GRAPH)));
            } catch (IOException | RuntimeException e) {
                throw new BundleException(file + ": its graph (graph.fb) cannot be read: " + e.getMessage(), null);
            }
            Bundle b = new Bundle(manifest, script, sd);
            b.requireConsistent(file);
            return b;
        } catch (ZipException e) {
            throw new BundleException(file + " is truncated or not a bundle: it cannot be read as a zip (" + e.getMessage() + ")",
                    "write it again with 'eff run'; a bundle is only complete once its write has finished");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BundleException(file + ": its bundle.json is damaged: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new BundleException(file + " cannot be read: " + e.getMessage(), null);
        }
    }

    private static byte[] bytes(ZipFile zip, Path file, String name) throws IOException, BundleException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) throw new BundleException(file + " is not a complete Eff bundle: it has no " + name, null);
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        } catch (ZipException bad) {
            throw new BundleException(file + " is damaged: its entry " + name + " fails its check (" + bad.getMessage() + ")",
                    "write it again with 'eff run'");
        }
    }

    /** Every name the manifest gives exists in the graph, with the shape it gives. */
    private void requireConsistent(Path file) throws BundleException {
        Schema s = schema();
        if (s == null || s.inputs() == null || s.output() == null || manifest.parameters() == null) {
            throw new BundleException(file + ": its bundle.json lacks the model's schema", null);
        }
        for (Field f : s.inputs()) {
            if (!sd.hasVariable(f.name())) throw new BundleException(file + ": its graph has no input '" + f.name() + "'", null);
        }
        if (!sd.hasVariable(s.output().name())) throw new BundleException(file + ": its graph has no output '" + s.output().name() + "'", null);
        for (Parameter p : manifest.parameters()) {
            INDArray a = sd.hasVariable(graphName(p.name())) ? sd.getVariable(graphName(p.name())).getArr() : null;
            if (a == null || !Arrays.equals(a.shape(), p.shape())) {
                throw new BundleException(file + ": its graph does not hold parameter " + p.name() + " as bundle.json describes it", null);
            }
        }
    }

    private String graphName(String parameter) {
        return manifest.namespace().isEmpty() ? parameter : manifest.namespace() + "/" + parameter;
    }

    /**
     * The model's output for one batch, {@code inputs} by input name ({@link Schema#inputs()}). Shapes are checked
     * against the schema, and token ids against the vocabulary, before anything runs; a mismatch is an
     * {@link IllegalArgumentException} naming the input. Safe to call from several threads (calls run one at a time).
     */
    public INDArray predict(Map<String, INDArray> inputs) {
        Map<String, INDArray> feed = new HashMap<>();
        List<String> names = schema().inputs().stream().map(Field::name).toList();
        for (String given : inputs.keySet()) {
            if (!names.contains(given)) throw new IllegalArgumentException("the model has no input '" + given + "' (its inputs: " + String.join(", ", names) + ")");
        }
        long batch = -1;
        for (Field f : schema().inputs()) {
            INDArray a = inputs.get(f.name());
            if (a == null) throw new IllegalArgumentException("input '" + f.name() + "' is missing (the model's inputs: " + String.join(", ", names) + ")");
            requireShape(f, a);
            if (batch >= 0 && a.size(0) != batch) {
                throw new IllegalArgumentException("input '" + f.name() + "' has " + a.size(0) + " examples, an earlier input " + batch);
            }
            batch = a.size(0);
            if (f.vocab() > 0 && a.length() > 0 && (a.minNumber().doubleValue() < 0 || a.maxNumber().doubleValue() >= f.vocab())) {
                throw new IllegalArgumentException("input '" + f.name() + "' holds token ids outside 0…" + (f.vocab() - 1)
                        + " (from " + a.minNumber() + " to " + a.maxNumber() + ")");
            }
            feed.put(f.name(), a.castTo(sd.getVariable(f.name()).dataType()));
        }
        String out = schema().output().name();
        synchronized (this) {
            if (manifest.trainingFlag() != null) feed.put(manifest.trainingFlag(), Nd4j.scalar(sd.getVariable(manifest.trainingFlag()).dataType(), 0));
            return PlannedExecutor.output(sd, feed, out).get(out);
        }
    }

    /** {@link #predict(Map)} with the inputs in schema order. */
    public INDArray predict(INDArray... inputs) {
        List<Field> fields = schema().inputs();
        if (inputs.length != fields.size()) {
            throw new IllegalArgumentException("the model reads " + fields.size() + " inputs, not " + inputs.length);
        }
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) m.put(fields.get(i).name(), inputs[i]);
        return predict(m);
    }

    /** For a model with one input of shape (B, n) and output (B, k): one output row per input row. */
    public float[][] predict(float[][] rows) {
        return predict(Nd4j.createFromArray(rows)).castTo(DataType.FLOAT).toFloatMatrix();
    }

    private static void requireShape(Field f, INDArray a) {
        boolean fits = a.rank() == f.shape().length;
        for (int i = 0; fits && i < f.shape().length; i++) fits = f.shape()[i] < 0 || f.shape()[i] == a.size(i);
        if (!fits) {
            throw new IllegalArgumentException("input '" + f.name() + "' has shape " + Npy.describe(a.shape()) + ", the model reads " + f.describe());
        }
    }

    /** Every parameter's current array (a copy), by model path, in creation order. */
    public synchronized Map<String, INDArray> weights() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Parameter p : manifest.parameters()) out.put(p.name(), sd.getVariable(graphName(p.name())).getArr().dup());
        return out;
    }

    /**
     * A copy of this bundle with the parameters named in {@code weights} replaced (cast to the parameter's type); the
     * others keep their values. Every name must be a parameter of the model (a graph name with the instance prefix is
     * accepted too) and every shape its shape, else nothing is replaced and the {@link BundleException} names the
     * parameter and both shapes.
     */
    public Bundle withWeights(Map<String, INDArray> weights, String source) throws BundleException {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        manifest.parameters().forEach(p -> byName.put(p.name(), p));
        Map<String, INDArray> resolved = new LinkedHashMap<>();
        for (var e : weights.entrySet()) {
            String name = local(manifest.namespace(), e.getKey());
            Parameter p = byName.get(name);
            if (p == null) {
                String near = dev.eff.dsl.diag.Spelling.suggest(name, byName.keySet());
                throw new BundleException(source + " holds '" + e.getKey() + "', which is not a parameter of model " + manifest.model()
                        + (near == null ? "" : " (did you mean '" + near + "'?)"), "'eff summary --parameters' lists the parameter names");
            }
            if (!Arrays.equals(p.shape(), e.getValue().shape())) {
                long[] s = e.getValue().shape();
                boolean transposed = s.length == 2 && p.shape().length == 2 && s[0] == p.shape()[1] && s[1] == p.shape()[0];
                throw new BundleException("parameter " + name + " has shape " + Npy.describe(p.shape()) + " in model " + manifest.model()
                        + ", but " + Npy.describe(s) + " in " + source,
                        transposed ? "it looks transposed: PyTorch's Linear stores (out, in), Eff's weights are (in, out); transpose it before saving" : null);
            }
            resolved.put(name, e.getValue());
        }
        Bundle copy;
        synchronized (this) {
            try {
                copy = new Bundle(manifest, script, SameDiff.fromFlatBuffers(sd.asFlatBuffers(false)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        resolved.forEach((name, array) -> {
            INDArray target = copy.sd.getVariable(copy.graphName(name)).getArr();
            target.assign(array.castTo(target.dataType()));
        });
        return copy;
    }
}
