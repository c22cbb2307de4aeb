package dev.eff.interpreter.bundle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arrays a bundle predicts from, named on the command line: {@code x.npy} (the model's only input),
 * {@code NAME=x.npy} (one input by name), or {@code inputs.npz} (its arrays named by input).
 */
public final class Inputs {
    private Inputs() {}

    /** The arrays by input name; a spec that names no input, or an unreadable file, is a {@link BundleException}. */
    public static Map<String, INDArray> read(List<String> specs, Bundle.Schema schema) throws BundleException {
        List<String> names = schema.inputs().stream().map(Bundle.Field::name).toList();
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String name = eq > 0 ? spec.substring(0, eq) : null;
            Path file = Path.of(eq > 0 ? spec.substring(eq + 1) : spec);
            try {
                if (file.toString().toLowerCase(Locale.ROOT).endsWith(".npz")) {
                    out.putAll(Npy.readNpz(file));
                } else if (name != null) {
                    out.put(name, Npy.read(file));
                } else if (names.size() == 1) {
                    out.put(names.get(0), Npy.read(file));
                } else {
                    throw new BundleException("the model reads " + names.size() + " inputs (" + String.join(", ", names)
                            + "), so --input " + spec + " must say which", "write --input NAME=" + spec + ", or give one .npz holding every input");
                }
            } catch (java.nio.file.NoSuchFileException e) {
                throw new BundleException("--input: no such file: " + file, null);
            } catch (IOException e) {
                throw new BundleException("--input: " + e.getMessage(), "inputs are NumPy .npy arrays or an .npz archive (np.save, np.savez)");
            }
        }
        return out;
    }
}
