package dev.eff.interpreter.cli;

import dev.eff.accelerators.Backend;
import dev.eff.interpreter.bundle.Bundle;
import dev.eff.interpreter.bundle.BundleException;
import dev.eff.interpreter.bundle.Inputs;
import dev.eff.interpreter.programs.Predict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code eff predict model.effb --input x.npy --to preds.csv}: the bundle's predictions for the given arrays, written in
 * {@code predict}'s format (without a label column). Needs neither the script nor its data.
 */
final class BundlePredict {
    private BundlePredict() {}

    static int run(PrintWriter out, PrintWriter err, Path file, List<String> inputs, Path to, long batch) {
        String where = to.toString().toLowerCase(Locale.ROOT);
        if (!where.endsWith(".csv") && !where.endsWith(".json")) {
            err.println("eff: --to " + to + ": cannot tell the format; name a .csv or a .json file");
            return EffCli.USAGE;
        }
        if (inputs.isEmpty()) {
            err.println("eff: predicting from a bundle needs --input (a .npy array per input, or an .npz holding them)");
            return EffCli.USAGE;
        }
        String refusal = Files.isRegularFile(to) ? new Predict().refuseToReplace(to) : null;
        if (refusal != null) {
            err.println("eff: refusing to overwrite " + to + ": " + refusal + "\n  hint: choose a new file for --to");
            return EffCli.FAILED;
        }
        Backend.configure();
        try {
            Bundle bundle = Bundle.read(file);
            Bundle.Field output = bundle.schema().output();
            if (output.shape().length != 2) {
                err.println("eff: predict writes one row per example, but model " + bundle.manifest().model() + " outputs "
                        + output.describe() + " per batch\n  hint: read its whole output from Java with Bundle.predict");
                return EffCli.USAGE;
            }
            Map<String, INDArray> arrays = Inputs.read(inputs, bundle.schema());
            List<String> names = new ArrayList<>(bundle.schema().classNames());
            for (int c = names.size(); c < bundle.schema().classes(); c++) names.add(Integer.toString(c));
            for (var e : arrays.entrySet()) {
                if (e.getValue().rank() == 0) {
                    err.println("eff: --input " + e.getKey() + " is a single number, not a batch of examples");
                    return EffCli.USAGE;
                }
            }
            long n = arrays.isEmpty() ? 0 : arrays.values().iterator().next().size(0);
            List<Predict.Row> rows = new ArrayList<>();
            int classes = (int) bundle.schema().classes();
            for (long from = 0; from < n; from += batch) {
                Map<String, INDArray> slice = new LinkedHashMap<>();
                long until = Math.min(n, from + batch);
                for (var e : arrays.entrySet()) {
                    if (e.getValue().size(0) != n) {
                        err.println("eff: --input " + e.getKey() + " has " + e.getValue().size(0) + " examples, another input " + n);
                        return EffCli.USAGE;
                    }
                    slice.put(e.getKey(), e.getValue().get(NDArrayIndex.interval(from, until)));
                }
                INDArray o = bundle.predict(slice);
                for (int i = 0; i < o.size(0); i++) {
                    double[] v = o.getRow(i).toDoubleVector();
                    if (classes > 0) {
                        double[] p = Predict.softmax(v);
                        int best = 0;
                        for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
                        rows.add(new Predict.Row(from + i, null, names.get(best), p, null));
                    } else {
                        rows.add(new Predict.Row(from + i, null, null, null, v));
                    }
                }
            }
            Predict.write(to.toAbsolutePath(), bundle.manifest().model(), String.join(",", inputs), null, names, classes, rows);
            out.println("predictions for " + rows.size() + " examples written to " + to);
            return EffCli.OK;
        } catch (BundleException e) {
            err.println("eff: " + e.getMessage() + (e.hint() == null ? "" : "\n  hint: " + e.hint()));
            return EffCli.FAILED;
        } catch (IllegalArgumentException e) {
            err.println("eff: " + e.getMessage());
            return EffCli.USAGE;
        } catch (IOException e) {
            err.println("eff: cannot write " + to + ": " + e.getMessage());
            return EffCli.FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
