"""Made-up data, in one place: the demo of `seed_demo` (`wilayah`: the demo kabupaten's units,
institutions, cadres and accounts; `register`: its couples; `reports`: its monthly reports and
PPM targets) and the synthetic kabupaten of `synth` for the bench (`synth`)."""
