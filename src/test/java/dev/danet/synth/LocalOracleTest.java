package dev.danet.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LocalOracleTest {

    @Test
    void theBestAccuracyIsTheMajorityShareSummedOverKeys() {
        LocalOracle oracle = new LocalOracle()
                .add("a", 1, 30).add("a", 2, 10)   // the oracle says 1 for key a: 30 right
                .add("b", 2, 5).add("b", 1, 5)     // a tie: 5 right
                .add("c", 3, 50);                  // alone: all right
        assertEquals(100, oracle.pixels());
        assertEquals(3, oracle.keys());
        assertEquals(0.85, oracle.bestAccuracy(), 1e-12);
    }

    @Test
    void twinsWithOppositeLabelsAndEqualPixelsGiveExactlyChance() {
        LocalOracle oracle = new LocalOracle();
        for (int pair = 0; pair < 17; pair++) {
            oracle.add("pair " + pair, pair % 3 == 0 ? 26 : 27, 100 + pair).add("pair " + pair, pair % 3 == 0 ? 27 : 26, 100 + pair);
        }
        assertEquals(0.5, oracle.bestAccuracy(), 1e-15);
    }

    @Test
    void emptyIsNaNAndNegativeCountsAreRefused() {
        assertTrue(Double.isNaN(new LocalOracle().add("a", 1, 0).bestAccuracy()));
        assertThrows(IllegalArgumentException.class, () -> new LocalOracle().add("a", 1, -1));
    }
}
