/**
 * Synthetic data that needs no download: the demo set of street scenes and the held-out context
 * benchmarks, painted deterministically from a seed and written in the Cityscapes layout that
 * {@code dev.danet.data} reads (this package uses {@code data}, never the other way round).
 *
 * <ul>
 *   <li>Sets on disk: {@link SyntheticScenes} (the demo set) and {@link ContextBenchmarks} (a
 *       {@link ContextBenchmark}), both written through {@code GeneratedSet}, with their manifests
 *       ({@code BenchmarkManifest}, {@code ManifestJson}); {@link BenchmarkMontage} draws a benchmark for the docs.</li>
 *   <li>What a painter returns: a {@link SceneImage}, either a {@link PaintedScene} with its
 *       {@link SceneCues} or a {@link BenchmarkScene} with its {@link BenchmarkObject}s; labels are
 *       {@link SyntheticClass}es; {@link LocalOracle} bounds what a local classifier can reach.</li>
 *   <li>The demo scene: {@code ScenePainter} and one class per thing it paints: {@code CloudySky},
 *       {@code Skyline}, {@code MarkedGround}, {@code Sunlight}, {@code Roadside} ({@code Building},
 *       {@code Boundary}), {@code SceneTraffic}, {@code ZoneSign}.</li>
 *   <li>The street benchmarks: {@code StreetBenchmarkPainter} with {@code StreetCues}, {@code WeatherSky},
 *       {@code StreetBackdrop}, {@code BenchmarkTraffic} and {@code BenchmarkSprites}; the scale benchmark:
 *       {@code ScaleScenePainter}.</li>
 *   <li>Shared by both streets: {@code StreetLayout}, {@code StreetCamera}, {@code StreetColours},
 *       {@code Sprites}, {@code FarToNear}, {@code Footprint}, {@code ScreenBox}, {@code EdgeSign},
 *       {@code RoadSign}, {@code LampRow}, {@code LaneLines}, {@code CameraEffects}.</li>
 *   <li>Raster and randomness: {@code Canvas}, {@code Colour}, {@code Noise}, {@code SceneRandom},
 *       {@code PngFiles}.</li>
 * </ul>
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.synth;
