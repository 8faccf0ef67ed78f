package dev.danet.synth;

/**
 * The two image-wide choices that only distant context reveals: what the ambiguous vehicles
 * are (car or truck, announced by the zone sign on the far side of the image) and what the
 * ambiguous ground surface is (road when lane markings are painted far down the street,
 * terrain when there are none).
 *
 * @param vehicleClass {@link SyntheticClass#CAR} or {@link SyntheticClass#TRUCK}
 * @param groundClass {@link SyntheticClass#ROAD} or {@link SyntheticClass#TERRAIN}
 */
public record SceneCues(SyntheticClass vehicleClass, SyntheticClass groundClass) {

    public SceneCues {
        if (vehicleClass != SyntheticClass.CAR && vehicleClass != SyntheticClass.TRUCK) {
            throw new IllegalArgumentException("vehicle class must be car or truck: " + vehicleClass);
        }
        if (groundClass != SyntheticClass.ROAD && groundClass != SyntheticClass.TERRAIN) {
            throw new IllegalArgumentException("ground class must be road or terrain: " + groundClass);
        }
    }

    /**
     * The cues of an image, balanced exactly: each run of four consecutive indices (0-3, 4-7,
     * ...) holds all four combinations once, in an order drawn from (seed, split, index / 4).
     * The two choices are therefore independent of each other, of the layout and of the
     * appearance, and each is 50/50 over any multiple of four images.
     */
    public static SceneCues balanced(long seed, String split, int index) {
        SceneRandom random = SceneRandom.keyed(seed, split.hashCode(), index / 4, 0xC0E5L);
        int[] order = {0, 1, 2, 3};
        for (int i = 3; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int combination = order[index % 4];
        return new SceneCues((combination & 1) == 0 ? SyntheticClass.CAR : SyntheticClass.TRUCK,
                (combination & 2) == 0 ? SyntheticClass.ROAD : SyntheticClass.TERRAIN);
    }

    /** The same scene's cues with the vehicle class swapped. */
    public SceneCues withOtherVehicle() {
        return new SceneCues(vehicleClass == SyntheticClass.CAR ? SyntheticClass.TRUCK : SyntheticClass.CAR, groundClass);
    }

    /** The same scene's cues with the ground class swapped. */
    public SceneCues withOtherGround() {
        return new SceneCues(vehicleClass, groundClass == SyntheticClass.ROAD ? SyntheticClass.TERRAIN : SyntheticClass.ROAD);
    }
}
