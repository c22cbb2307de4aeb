package dev.eff.interpreter.train;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.nd4j.graph.FlatGraph;
import org.nd4j.graph.FlatVariable;

/**
 * What is on disk where {@link Checkpoints} writes. A checkpoint is SameDiff's FlatBuffers graph file, which has no
 * magic number, so a file counts as one when it parses as a {@code FlatGraph} whose root offset lies inside the
 * file and whose variables all have printable names: scripts, CSV and text start with bytes that point outside
 * the file, and binary data (images, archives) fails the structure well before the names. Keep this next to the
 * format: a test saves a real checkpoint and asks this class to recognise it.
 */
public final class CheckpointFiles {
    private CheckpointFiles() {}

    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}\\uFFFD]+");

    /** True for a file {@link Checkpoints#save} wrote; false for any other file, a folder or a missing path. */
    public static boolean isCheckpoint(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 16 || size > Integer.MAX_VALUE) return false;
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            b.order(ByteOrder.LITTLE_ENDIAN);
            int root = b.getInt(0);
            if (root < 8 || root > size - 4 || root % 4 != 0) return false;
            FlatGraph g = FlatGraph.getRootAsFlatGraph(b);
            int n = g.variablesLength();
            if (n <= 0 || n > size / 8) return false;
            FlatVariable v = new FlatVariable();
            for (int i = 0; i < n; i++) {
                String name = g.variables(v, i).name();
                if (name == null || !PRINTABLE.matcher(name).matches()) return false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Deletes the temporary files an interrupted write of {@code target} left beside it ({@code NAME.<digits>.ckpt.tmp},
     * see {@link Checkpoints#write}); returns them.
     */
    public static List<Path> removeStaleTemporaries(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        List<Path> removed = new ArrayList<>();
        if (dir == null || target.getFileName() == null || !Files.isDirectory(dir)) return removed;
        Pattern stale = Pattern.compile(Pattern.quote(target.getFileName().toString()) + "\\.\\d+\\.ckpt\\.tmp");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> stale.matcher(p.getFileName().toString()).matches())) {
            for (Path p : files) {
                if (Files.isRegularFile(p) && Files.deleteIfExists(p)) removed.add(p);
            }
        }
        return removed;
    }
}
