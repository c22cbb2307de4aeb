package dev.eff.stdlib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

class DatasetTest {

    private final Dataset d = Dataset.of(
            List.of(new Dataset.Floats(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new long[] {2, 2}),
                    new Dataset.Ints(new int[] {10, 11, 12}, new long[] {1})),
            new Dataset.Ints(new int[] {7, 8, 9}, new long[0]));

    @Test
    void selectCopiesRowsInTheGivenOrder() {
        Dataset s = d.select(new int[] {2, 0, 2});
        assertArrayEquals(new float[] {8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}, ((Dataset.Floats) s.columns().get(0)).values());
        assertArrayEquals(new int[] {12, 10, 12}, ((Dataset.Ints) s.columns().get(1)).values());
        assertArrayEquals(new int[] {9, 7, 9}, ((Dataset.Ints) s.labelColumn()).values());
    }

    @Test
    void sliceAndArraysKeepShapesAndTypes() {
        Dataset s = d.slice(1, 3);
        assertEquals(2, s.size());
        var x = s.inputs().get(0);
        assertEquals(DataType.FLOAT, x.dataType());
        assertArrayEquals(new long[] {2, 2, 2}, x.shape());
        assertEquals(5f, x.getFloat(0, 0, 1));
        assertEquals(11f, x.getFloat(1, 1, 1));
        assertEquals(DataType.INT32, s.labels().dataType());
        assertArrayEquals(new long[] {2}, s.labels().shape());
    }

    @Test
    void fromNd4jArraysRoundTrips() {
        var x = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        var y = Nd4j.createFromArray(new int[] {1, 0});
        Dataset r = new Dataset(List.of(x), y);
        assertEquals(x, r.select(new long[] {0, 1}).inputs().get(0));
        assertEquals(y, r.labels());
        assertThrows(IllegalArgumentException.class, () -> new Dataset(List.of(x), Nd4j.createFromArray(new int[] {1})));
    }
}
