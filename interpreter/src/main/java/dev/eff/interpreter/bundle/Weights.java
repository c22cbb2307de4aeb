package dev.eff.interpreter.bundle;

import dev.eff.interpreter.train.Checkpoints;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A bundle's parameters in and out as NumPy {@code .npz} archives, one array per parameter under its model path
 * ({@code block1/residual2/mlp/W1}), as {@code np.savez} writes and {@code np.load} reads them.
 */
public final class Weights {
    private Weights() {}

    /** Writes every parameter of {@code bundle} to {@code target} atomically. */
    public static void export(Bundle bundle, Path target) throws IOException {
        Map<String, INDArray> weights = bundle.weights();
        Checkpoints.write(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                Npy.writeNpz(weights, out);
            }
        });
    }

    /** A bundle whose parameters {@code names} were replaced from an archive. */
    public record Imported(Bundle bundle, java.util.List<String> names) {}

    /** {@code bundle} with the parameters {@code npz} holds; see {@link Bundle#withWeights}. */
    public static Imported importInto(Bundle bundle, Path npz) throws BundleException {
        Map<String, INDArray> arrays;
        try {
            arrays = Npy.readNpz(npz);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BundleException("no such file: " + npz, null);
        } catch (IOException e) {
            throw new BundleException(e.getMessage(), "weights are an .npz archive of arrays named by parameter (np.savez)");
        }
        if (arrays.isEmpty()) throw new BundleException(npz + " holds no arrays", null);
        return new Imported(bundle.withWeights(arrays, npz.getFileName().toString()), java.util.List.copyOf(arrays.keySet()));
    }

    /** Whether {@code file} may be replaced by an export: it is an {@code .npz} archive (or a zip of {@code .npy} entries). */
    public static boolean looksLikeNpz(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.stream().allMatch(e -> e.getName().endsWith(".npy"));
        } catch (IOException e) {
            return false;
        }
    }
}
