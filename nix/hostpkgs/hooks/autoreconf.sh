# autoreconfHook: regenerate the build system (configure, Makefile.in) before configuring.
preConfigurePhases="${preConfigurePhases:-} autoreconfPhase"
autoreconfPhase() {
    runHook preAutoreconf
    autoreconf ${autoreconfFlags:---install --force --verbose}
    runHook postAutoreconf
}
