// The npm packages the container's bundle (serve and the training job) leaves external: native code, loaded from
// node_modules at run time. Read by build.mjs (esbuild's `external`) and stage.mjs (the image's node_modules).
// Training needs onnxruntime-node too (it measures the exported model); @resvg/resvg-js (PNG pictures) is loaded
// by require at the first picture (evaluation's png.ts), which neither serve nor the training job draws: not bundled.
export const EXTERNALS = ['onnxruntime-node', 'better-sqlite3'];

// What the image keeps of a package where not all of it (paths inside the package; everything else,
// from sources to other platforms' binaries, stays out), and which of its dependencies only its install
// script uses. Other packages the externals require are copied whole.
export const TRIM = {
  'onnxruntime-node': {
    // Its compiled JavaScript (not the TypeScript in lib/) and the CPU binaries of this platform (the build
    // stage's, which is the image's); the CUDA add-on is never downloaded (ONNXRUNTIME_NODE_INSTALL=skip).
    keep: ['package.json', 'dist', `bin/napi-v6/${process.platform}/${process.arch}`],
    installOnly: ['adm-zip', 'global-agent'],
  },
  // Its compiled JavaScript, not the TypeScript in lib/.
  'onnxruntime-common': { keep: ['package.json', 'dist'] },
  'better-sqlite3': {
    // The compiled binding only: not SQLite's sources (deps/), the addon's (src/) or the object files.
    keep: ['package.json', 'lib', 'build/Release/better_sqlite3.node'],
    installOnly: ['prebuild-install'],
  },
};
