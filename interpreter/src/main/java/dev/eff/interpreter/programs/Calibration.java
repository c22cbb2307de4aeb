package dev.eff.interpreter.programs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.eff.dsl.check.Args;
import dev.eff.interpreter.train.Checkpoints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The threshold {@code calibrate} chose for a model's {@code exit(calm)}, with what it certifies: the expected textual
 * inconsistency with the full model stays at most {@code delta} with probability at least 1 − {@code epsilon}, for the
 * exit's {@code measure} and schedule ({@code minExit}, {@code positionAdjusted}, {@code positionTemp}) as they were when
 * it ran. {@code threshold} is null when no threshold could be certified (then every token runs every block).
 * {@code inconsistency} and {@code pValue} are the chosen threshold's empirical risk over the {@code prompts}
 * calibration prompts of {@code tokens} tokens, and its Hoeffding–Bentkus p-value. It travels with the model: beside
 * its checkpoint ({@link #fileFor}) and in its bundles.
 */
public record Calibration(Double threshold, double delta, double epsilon, String measure, int minExit,
                          boolean positionAdjusted, double positionTemp, int prompts, int tokens, Double inconsistency,
                          Double pValue, String statement) {

    /** A calibration and where it came from (a statement of this run, a checkpoint's calibration file, a bundle). */
    public record Stored(Calibration calibration, String source) {}

    /** The calibration file's JSON: its format, the SHA-256 of the checkpoint it was calibrated on, the calibration. */
    public record File(String format, int version, String checkpointSha256, Calibration calibration) {}

    public static final String FORMAT = "eff calibration";
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The calibration of a model whose exit has arguments {@code exit}, with {@code chosen} (null: none certified). */
    public static Calibration of(Args exit, Double chosen, int prompts, int tokens, Double inconsistency, Double pValue,
                                 String statement) {
        return new Calibration(chosen, exit.real("delta"), exit.real("epsilon"), exit.symbol("measure"), exit.i("minExit"),
                exit.bool("positionAdjusted"), exit.real("positionTemp"), prompts, tokens, inconsistency, pValue, statement);
    }

    /** The threshold λ the decoder compares confidences with: +∞ (never exit early) when none was certified. */
    public double lambda() { return threshold == null ? Double.POSITIVE_INFINITY : threshold; }

    /**
     * How the exit's arguments now differ from those this calibration certified (empty: it applies). A threshold
     * certified for one measure, tolerance or schedule guarantees nothing for another.
     */
    public List<String> differences(Args exit) {
        List<String> out = new ArrayList<>();
        if (!measure.equals(exit.symbol("measure"))) out.add("measure " + measure + " there, " + exit.symbol("measure") + " now");
        differ(out, "delta", delta, exit.real("delta"));
        differ(out, "epsilon", epsilon, exit.real("epsilon"));
        if (minExit != exit.i("minExit")) out.add("minExit " + minExit + " there, " + exit.i("minExit") + " now");
        if (positionAdjusted != exit.bool("positionAdjusted")) {
            out.add("positionAdjusted " + positionAdjusted + " there, " + exit.bool("positionAdjusted") + " now");
        }
        if (positionAdjusted) differ(out, "positionTemp", positionTemp, exit.real("positionTemp"));
        return out;
    }

    private static void differ(List<String> out, String name, double there, double now) {
        if (there != now) out.add(name + " " + there + " there, " + now + " now");
    }

    /** One line for the person running the script: the threshold and what it certifies. */
    public String describe() {
        String what = String.format(Locale.ROOT, "delta %s, epsilon %s, measure %s, %d prompts", delta, epsilon, measure, prompts);
        return threshold == null ? "no threshold certified (" + what + "): every token runs every block"
                : String.format(Locale.ROOT, "threshold %.4g certified at %s", threshold, what);
    }

    /** {@code runs/lm.sd} → {@code runs/lm.sd.calibration.json}. */
    public static Path fileFor(Path checkpoint) {
        return checkpoint.resolveSibling(checkpoint.getFileName() + ".calibration.json");
    }

    /**
     * Writes this calibration beside {@code checkpoint}, atomically, tied to the checkpoint's current content: a later
     * training that rewrites the checkpoint leaves the file behind, and {@link #read} then refuses it.
     */
    public Path writeBeside(Path checkpoint) throws IOException {
        Path target = fileFor(checkpoint);
        if (Files.exists(target) && !isCalibrationFile(target)) {
            throw new IOException(target + " exists and is no calibration file; it is left as it is");
        }
        byte[] json = JSON.writeValueAsBytes(new File(FORMAT, VERSION, sha256(checkpoint), this));
        Checkpoints.write(target, tmp -> Files.write(tmp, json));
        return target;
    }

    /** The outcome of looking for a checkpoint's calibration: the calibration, or why there is none to use. */
    public record Found(Calibration calibration, String problem) {}

    /**
     * The calibration stored beside {@code checkpoint}: null when there is no file; a problem when the file is damaged,
     * foreign, or was written for another content of the checkpoint (the model was trained again since).
     */
    public static Found read(Path checkpoint) {
        Path file = fileFor(checkpoint);
        if (!Files.isRegularFile(file)) return null;
        try {
            File f = JSON.readValue(file.toFile(), File.class);
            if (f == null || !FORMAT.equals(f.format()) || f.version() > VERSION || f.calibration() == null) {
                return new Found(null, file + " is not a calibration file of this Eff");
            }
            if (!sha256(checkpoint).equals(f.checkpointSha256())) {
                return new Found(null, file + " was calibrated on another state of " + checkpoint.getFileName()
                        + " (it was trained again since)");
            }
            return new Found(f.calibration(), null);
        } catch (IOException e) {
            return new Found(null, file + " cannot be read: " + e.getMessage());
        }
    }

    private static boolean isCalibrationFile(Path file) {
        try {
            return FORMAT.equals(JSON.readTree(file.toFile()).path("format").asText());
        } catch (IOException e) {
            return false;
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) d.update(buffer, 0, n);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
