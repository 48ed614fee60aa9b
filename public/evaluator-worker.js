// The evaluator's Web Worker: imports, analyses and exports off the page's thread, so the page
// stays responsive (src/evaluation/engine.rs; the Rust side is src/evaluation/page/worker.rs).
// It runs the evaluator module itself: the page's first message names the module's files; the
// module then answers every later message. A module that cannot load is reported as
// ['failed', why], and the page runs the work itself (src/evaluation/page/client.rs).
self.addEventListener('message', async (e) => {
  try {
    const { js, wasm } = e.data;
    const module = await import(js);
    await module.default({ module_or_path: wasm });
    module.evaluator_worker();
  } catch (err) {
    self.postMessage(['failed', String(err?.message ?? err)]);
  }
}, { once: true });
