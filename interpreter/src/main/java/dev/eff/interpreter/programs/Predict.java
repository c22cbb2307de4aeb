package dev.eff.interpreter.programs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.run.JobReport;
import dev.eff.interpreter.train.Checkpoints;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Dataset;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code predict MODEL on DATA.split { to = "preds.csv" }}: the model's output for every example of the split, written
 * (atomically) as CSV or JSON by the file's extension: for a classifier the label, the predicted class and each class's
 * probability (softmax of the output), else the label and the predicted values.
 */
@AutoService(Component.class)
public final class Predict implements Program {

    static final String CSV_HEADER = "example,", JSON_KIND = "eff predictions";

    private static final Signature SIGNATURE = new Signature(Kind.PROGRAM, "predict", null,
            "Writes the model's prediction for every example of a data split to a CSV or JSON file (by extension): "
                    + "for classifiers the label, the predicted class and every class's probability; else the values.",
            List.of(Param.required("to", new Type.Str(), "the file to write, ending in .csv or .json (relative to the script's folder)"),
                    Param.of("batch", Type.positive(), 256, "examples per forward pass")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override public DataUse data() { return DataUse.REQUIRED; }

    @Override public List<String> outputSettings() { return List.of("to"); }

    @Override
    public void check(Args settings, ModelGraph model, DataBinding data) throws Problem {
        String to = settings.str("to").toLowerCase(Locale.ROOT);
        if (!to.endsWith(".csv") && !to.endsWith(".json")) {
            throw new Problem("to", "cannot tell the format of \"" + settings.str("to") + "\"", "name a .csv or a .json file");
        }
        Shape out = model.outputShape();
        if (out.rank() != 2) {
            throw new Problem(null, "predict writes one row per example, but model " + model.instance() + " outputs "
                    + out.describe() + " per batch", "predict takes models with outputs [B, classes] or [B, values]; "
                    + "for a language model use generate");
        }
    }

    @Override
    public String refuseToReplace(Path file) {
        try (var in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(256), StandardCharsets.UTF_8);
            return head.startsWith(CSV_HEADER) || head.contains("\"" + JSON_KIND + "\"") ? null : "it is not a predictions file";
        } catch (IOException e) {
            return "it cannot be read: " + e.getMessage();
        }
    }

    /** One example's prediction: {@code predicted} and {@code probabilities} for classifiers, {@code values} otherwise. */
    public record Row(long example, Object label, Object predicted, double[] probabilities, double[] values) {}

    /** The JSON file. */
    public record Predictions(String kind, String model, String data, String split, List<String> classes, List<Row> predictions) {}

    @Override
    public JobReport run(ProgramJob job, Session session) throws DataException, IOException {
        Args s = job.settings();
        Dataset data = session.data(job);
        CompiledModel model = session.inference(job);
        long start = System.nanoTime();
        int classes = (int) job.data().schema().classes();
        List<String> names = classNames(data, classes);
        List<Row> rows = new ArrayList<>();
        int batch = s.i("batch");
        for (int from = 0; from < data.size(); from += batch) {
            Dataset b = data.slice(from, Math.min(data.size(), from + batch));
            INDArray out = model.predict(b.inputs());
            INDArray labels = b.labels().reshape(b.size(), -1);
            for (int i = 0; i < b.size(); i++) {
                double[] o = out.getRow(i).toDoubleVector();
                double[] label = labels.getRow(i).reshape(-1).toDoubleVector();
                if (classes > 0) {
                    double[] p = softmax(o);
                    rows.add(new Row(from + i, names.get((int) label[0]), names.get(Sampler.argmax(p)), p, null));
                } else {
                    rows.add(new Row(from + i, label.length == 1 ? label[0] : label, null, null, o));
                }
            }
        }
        Path target = session.baseDir().resolve(s.str("to"));
        write(target, job.model().instance(), job.data().name(), job.split(), names, classes, rows);
        double secs = (System.nanoTime() - start) / 1e9;
        session.note("predictions for " + rows.size() + " examples written to " + target);
        return new JobReport("predict", job.span().location(), job.model().instance(), job.model().cost().params(), job.data().name(),
                job.split(), null, null, null, batch, null, null, null, null, null, data.size(), 0, secs,
                secs > 0 ? data.size() / secs : null, null, null, null);
    }

    /**
     * Writes {@code rows} to {@code target} atomically, as JSON or CSV by its extension; rows without labels (predictions
     * of inputs given from outside a data split) get no label column.
     */
    public static void write(Path target, String model, String data, String split, List<String> names, int classes,
                             List<Row> rows) throws IOException {
        if (target.toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            Predictions p = new Predictions(JSON_KIND, model, data, split, classes > 0 ? names : null, rows);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
            Checkpoints.write(target, tmp -> json.writeValue(tmp.toFile(), p));
        } else {
            Checkpoints.write(target, tmp -> writeCsv(tmp, rows, names, classes));
        }
    }

    /** The class names the data knew, else the class ids as text. */
    private static List<String> classNames(Dataset data, int classes) {
        List<String> known = data.classNames() == null ? List.of() : data.classNames();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) names.add(c < known.size() ? known.get(c) : Integer.toString(c));
        return names;
    }

    private static void writeCsv(Path file, List<Row> rows, List<String> names, int classes) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            boolean labelled = rows.stream().anyMatch(r -> r.label() != null);
            List<String> header = new ArrayList<>(labelled ? List.of("example", "label") : List.of("example"));
            if (classes > 0) {
                header.add("predicted");
                for (String n : names) header.add("p_" + n);
            } else if (!rows.isEmpty()) {
                int k = rows.get(0).values().length;
                for (int j = 0; j < k; j++) header.add(k == 1 ? "value" : "value" + j);
            }
            w.write(String.join(",", header.stream().map(Predict::csvField).toList()));
            w.newLine();
            for (Row r : rows) {
                List<String> f = new ArrayList<>();
                f.add(Long.toString(r.example()));
                if (labelled) f.add(r.label() instanceof double[] l ? csvField(join(l, " ")) : csvField(String.valueOf(r.label())));
                if (classes > 0) {
                    f.add(csvField((String) r.predicted()));
                    for (double p : r.probabilities()) f.add(number(p));
                } else {
                    for (double v : r.values()) f.add(number(v));
                }
                w.write(String.join(",", f));
                w.newLine();
            }
        }
    }

    private static String join(double[] v, String sep) {
        List<String> parts = new ArrayList<>();
        for (double d : v) parts.add(number(d));
        return String.join(sep, parts);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    public static double[] softmax(double[] logits) {
        double max = logits[Sampler.argmax(logits)], total = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) total += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= total;
        return p;
    }
}
