package dev.eff.stdlib.data;

import static dev.eff.stdlib.data.DataTesting.args;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

    private final Csv source = new Csv();
    @TempDir Path dir;

    @Test
    void schemaDependsOnClasses() throws Exception {
        var cls = source.schema(args(source, "path", "x.csv", "features", List.of("a", "b", "c"), "classes", 3));
        assertEquals("float[B, 3]", cls.inputs().get(0).shape().describe());
        assertEquals("int[B]", cls.label().shape().describe());
        var reg = source.schema(args(source, "path", "x.csv", "features", List.of("a")));
        assertEquals("float[B, 1]", reg.label().shape().describe());
        assertEquals(0, reg.classes());
        assertThrows(ShapeException.class, () -> source.schema(args(source, "path", "x.csv", "features", List.of())));
        assertThrows(ShapeException.class, () -> source.schema(args(source, "path", "x.csv", "features", List.of("a", "label"))));
        assertThrows(ShapeException.class, () -> source.schema(args(source, "path", "x.csv", "features", List.of("a"), "classes", 1)));
    }

    @Test
    void namedClassesQuotedFieldsAndADisjointSeededSplit() throws Exception {
        StringBuilder csv = new StringBuilder("x, \"y, quoted\" ,species\n");
        List<String> species = List.of("virginica", "setosa", "versicolor");
        for (int r = 0; r < 20; r++) csv.append(r).append(',').append(r * 0.5).append(",\"").append(species.get(r % 3)).append("\"\n");
        csv.append("\n");
        Files.writeString(dir.resolve("iris.csv"), csv);
        var a = args(source, "path", "iris.csv", "features", List.of("y, quoted", "x"), "label", "species", "classes", 3, "testFraction", 0.25);

        Dataset train = source.load(a, "train", dir), test = source.load(a, "test", dir);
        assertEquals(5, test.size());
        assertEquals(15, train.size());
        Set<Integer> all = new HashSet<>();
        for (Dataset d : List.of(train, test)) {
            var x = (Dataset.Floats) d.columns().get(0);
            var y = (Dataset.Ints) d.labelColumn();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < d.size(); i++) {
                int r = (int) x.at(i, 1);
                assertEquals(r * 0.5f, x.at(i, 0), "features in the listed order");
                assertEquals(List.of("setosa", "versicolor", "virginica").indexOf(species.get(r % 3)), y.at(i, 0), "names numbered in sorted order");
                assertTrue(all.add(r), "each row in one split only");
                order.add(r);
            }
            assertEquals(order.stream().sorted().toList(), order, "file order kept");
        }
        assertEquals(20, all.size());
        assertArrayEquals(((Dataset.Floats) test.columns().get(0)).values(), ((Dataset.Floats) source.load(a, "test", dir).columns().get(0)).values());
    }

    @Test
    void regressionTargetsAreFloatColumnsOfWidthOne() throws Exception {
        Files.writeString(dir.resolve("r.csv"), "1,2,0.5\n3,4,1.5\n5,6,-2\n");
        var a = args(source, "path", "r.csv", "features", List.of("0", "1"), "label", "2", "header", false, "testFraction", 0.0);
        Dataset d = source.load(a, "train", dir);
        assertArrayEquals(new long[] {3, 1}, d.labels().shape());
        assertArrayEquals(new float[] {0.5f, 1.5f, -2f}, ((Dataset.Floats) d.labelColumn()).values());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, ((Dataset.Floats) d.columns().get(0)).values());
    }

    @Test
    void malformedRowsNameFileAndLine() throws Exception {
        Path p = dir.resolve("bad.csv");
        var a = args(source, "path", "bad.csv", "features", List.of("a"), "classes", 2, "testFraction", 0.0);
        Files.writeString(p, "a,label\n1,0\n2,1,7\n");
        assertTrue(assertThrows(DataException.class, () -> source.load(a, "train", dir)).getMessage().startsWith(p + ":3: 3 fields"));
        Files.writeString(p, "a,label\n1,0\n\nx1,1\n");
        assertTrue(assertThrows(DataException.class, () -> source.load(a, "train", dir)).getMessage().startsWith(p + ":4: column 'a' holds 'x1'"));
        Files.writeString(p, "a,label\n1,0\n2,2\n");
        assertTrue(assertThrows(DataException.class, () -> source.load(a, "train", dir)).getMessage().startsWith(p + ":3: label 2"));
        Files.writeString(p, "b,label\n1,0\n");
        var e = assertThrows(DataException.class, () -> source.load(a, "train", dir));
        assertTrue(e.getMessage().contains("no column 'a'") && e.hint().contains("'b', 'label'"), e.getMessage() + " / " + e.hint());
        Files.delete(p);
        assertTrue(assertThrows(DataException.class, () -> source.load(a, "train", dir)).getMessage().contains(p.toString()));
    }

    @Test
    void utf8ByteOrderMarkIsNotPartOfTheFirstColumnName() throws Exception {
        Files.write(dir.resolve("bom.csv"), ("\uFEFFa,label\n1,0\n2,1\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var a = args(source, "path", "bom.csv", "features", List.of("a"), "classes", 2, "testFraction", 0.0);
        assertEquals(2, source.load(a, "train", dir).size());
        source.verify(a, dir);
    }

    @Test
    void hexFloatsAndOtherNonDecimalNumbersAreRejected() throws Exception {
        var a = args(source, "path", "n.csv", "features", List.of("a"), "classes", 2, "testFraction", 0.0);
        for (String bad : List.of("0x1p3", "1.5f", "2d", "NaN", "Infinity", "1e99")) {
            Files.writeString(dir.resolve("n.csv"), "a,label\n1,0\n" + bad + ",1\n");
            var e = assertThrows(DataException.class, () -> source.load(a, "train", dir), bad);
            assertTrue(e.getMessage().contains("holds '" + bad + "'"), e.getMessage());
        }
        Files.writeString(dir.resolve("n.csv"), "a,label\n-1.5e-3,0\n.5,1\n+7.,1\n");
        assertArrayEquals(new float[] {-1.5e-3f, 0.5f, 7f}, ((Dataset.Floats) source.load(a, "train", dir).columns().get(0)).values());
    }

    @Test
    void devZeroIsNotARegularFileRatherThanNotFound() {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(zero));
        var a = args(source, "path", zero.toString(), "features", List.of("a"), "classes", 2);
        for (var call : List.<org.junit.jupiter.api.function.Executable>of(() -> source.load(a, "train", dir), () -> source.verify(a, dir))) {
            var e = assertThrows(DataException.class, call);
            assertTrue(e.getMessage().contains("not a regular file: /dev/zero"), e.getMessage());
        }
    }

    @Test
    void textLabelWithoutClassesHintsToSetClasses() throws Exception {
        Files.writeString(dir.resolve("iris.csv"), "x,species\n1,setosa\n2,virginica\n3,setosa\n4,versicolor\n");
        var a = args(source, "path", "iris.csv", "features", List.of("x"), "label", "species", "testFraction", 0.0);
        var e = assertThrows(DataException.class, () -> source.load(a, "train", dir));
        assertTrue(e.getMessage().contains("label column 'species' holds text"), e.getMessage());
        assertEquals("for classification set classes = 3 (the column has 3 distinct labels)", e.hint());
    }

    @Test
    void regressionLabelIsNamedByItsColumnInTheSchema() throws Exception {
        var s = source.schema(args(source, "path", "x.csv", "features", List.of("a"), "label", "price"));
        assertEquals("price", s.label().name());
    }

    @Test
    void integerLabelTooLargeForAnIntIsNotAClassIdRatherThanANumberFormatException() throws Exception {
        Files.writeString(dir.resolve("big.csv"), "a,label\n1,0\n2,99999999999\n3,1\n");
        var a = args(source, "path", "big.csv", "features", List.of("a"), "classes", 2, "testFraction", 0.0);
        var e = assertThrows(DataException.class, () -> source.load(a, "train", dir));
        assertTrue(e.getMessage().endsWith(":3: label 99999999999 is not a class id in 0..1"), e.getMessage());
        assertThrows(ShapeException.class, () -> source.schema(args(source, "path", "x.csv", "features", List.of("a"), "classes", 3_000_000_000L)));
    }

    @Test
    void twoHundredThousandColumnsLoadWithoutAQuadraticColumnLookup() throws Exception {
        int columns = 200_000;
        StringBuilder csv = new StringBuilder();
        List<String> features = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            csv.append(c == columns - 1 ? "label\n" : "c" + c + ",");
            if (c < columns - 1) features.add("c" + c);
        }
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < columns; c++) csv.append(c == columns - 1 ? (r % 2) + "\n" : "0.5,");
        }
        Files.writeString(dir.resolve("wide.csv"), csv);
        var a = args(source, "path", "wide.csv", "features", features, "classes", 2, "testFraction", 0.25);
        Dataset d = source.load(a, "train", dir);
        assertEquals(6, d.size());
        assertEquals(columns - 1, d.columns().get(0).width());
        source.verify(a, dir);
    }

    @Test
    void verifyReadsTheHeaderAndNamesAMissingColumnOrFile() throws Exception {
        Files.writeString(dir.resolve("h.csv"), "a,b,label\n1,2,0\n");
        source.verify(args(source, "path", "h.csv", "features", List.of("a", "b"), "classes", 2), dir);
        var e = assertThrows(DataException.class, () -> source.verify(args(source, "path", "h.csv", "features", List.of("a", "z"), "classes", 2), dir));
        assertTrue(e.getMessage().contains("has no column 'z'"), e.getMessage());
        e = assertThrows(DataException.class, () -> source.verify(args(source, "path", "h.csv", "features", List.of("a"), "label", "y"), dir));
        assertTrue(e.getMessage().contains("has no column 'y'"), e.getMessage());
        e = assertThrows(DataException.class, () -> source.verify(args(source, "path", "none.csv", "features", List.of("a")), dir));
        assertTrue(e.getMessage().startsWith("data file not found: "), e.getMessage());
    }
}
