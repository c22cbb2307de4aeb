package dev.eff.interpreter.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Atomic checkpoint files: the content goes to a temporary file in the target's directory, which then
 * replaces the target in one rename. A crash or an error mid-write leaves the previous checkpoint intact
 * (or none), never a half-written one.
 */
public final class Checkpoints {
    private Checkpoints() {}

    @FunctionalInterface
    public interface Writer {
        void write(Path file) throws IOException;
    }

    /** The graph with its current weights, loadable with {@code SameDiff.load(file, false)}. */
    public static void save(SameDiff sd, Path target) throws IOException {
        write(target, file -> sd.save(file.toFile(), false));
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString() + ".", ".ckpt.tmp");
        try {
            writer.write(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
