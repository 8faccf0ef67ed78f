package dev.danet.cli;

import dev.danet.DanetException;
import java.util.function.Supplier;

/** Values made from command-line flags. */
final class Flags {

    private Flags() {}

    /** Makes a value from flags; a value the library rejects is the user's one-line error. */
    static <T> T check(Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new DanetException(e.getMessage());
        }
    }
}
