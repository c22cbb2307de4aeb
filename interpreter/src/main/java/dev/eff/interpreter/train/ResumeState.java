package dev.eff.interpreter.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything needed to continue a train statement exactly where a checkpoint left it, written beside the checkpoint
 * as {@code CHECKPOINT.resume}: which statement and run it belongs to ({@code statement} location, {@code model}
 * instance, {@code seed}, {@code batch}, {@code totalSteps}, {@code optimizer} call), the steps done and their losses
 * and auxiliary losses, every variable of the model, and the optimizer's state and step count. The batch order and
 * the random draws of each step are functions of the seed and the step, so they need no state of their own.
 *
 * <p>The file is a zip: {@code state.json} and one ND4J binary array per variable ({@code variables/NAME}) and per
 * updater state ({@code optimizer/NAME}). It repeats the weights of the {@code .sd} checkpoint so that resuming reads
 * one file written atomically, never a graph and a state from two different moments.
 */
public record ResumeState(Header header, Map<String, INDArray> variables, Map<String, INDArray> optimizerState) {

    /** The JSON part. {@code format} guards against reading a file of another layout. */
    public record Header(int format, String statement, String model, long seed, int batch, long totalSteps, String optimizer,
                         String optimizerKey, long optimizerStep, long step, double[] losses, Map<String, double[]> auxiliaries) {}

    public static final int FORMAT = 1;

    /** {@code runs/lm.sd} → {@code runs/lm.sd.resume}. */
    public static Path fileFor(Path checkpoint) {
        return checkpoint.resolveSibling(checkpoint.getFileName() + ".resume");
    }

    /** Writes atomically (see {@link Checkpoints#write}). */
    public void write(Path target) throws IOException {
        Checkpoints.write(target, file -> {
            try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
                zip.putNextEntry(new ZipEntry("state.json"));
                zip.write(new ObjectMapper().writeValueAsBytes(header));
                zip.closeEntry();
                writeArrays(zip, "variables/", variables);
                writeArrays(zip, "optimizer/", optimizerState);
            }
        });
    }

    private static void writeArrays(ZipOutputStream zip, String prefix, Map<String, INDArray> arrays) throws IOException {
        for (var e : arrays.entrySet()) {
            zip.putNextEntry(new ZipEntry(prefix + e.getKey()));
            DataOutputStream out = new DataOutputStream(zip);
            Nd4j.write(e.getValue(), out);
            out.flush();
            zip.closeEntry();
        }
    }

    /** Reads a file written by {@link #write}; an unreadable or foreign file is an IOException saying so. */
    public static ResumeState read(Path file) throws IOException {
        Header header = null;
        Map<String, INDArray> variables = new LinkedHashMap<>(), optimizer = new LinkedHashMap<>();
        try (InputStream is = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(is)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                if (name.equals("state.json")) header = new ObjectMapper().readValue(zip.readAllBytes(), Header.class);
                else if (name.startsWith("variables/")) variables.put(name.substring(10), Nd4j.read(new DataInputStream(zip)));
                else if (name.startsWith("optimizer/")) optimizer.put(name.substring(10), Nd4j.read(new DataInputStream(zip)));
            }
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a resume file of this Eff version: " + e.getMessage(), e);
        }
        if (header == null || header.format() != FORMAT) throw new IOException(file + " is not a resume file of this Eff version");
        return new ResumeState(header, variables, optimizer);
    }
}
