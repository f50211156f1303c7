// Camera and QR decoding: the rear camera into a <video>, frames scaled down
// to about 640 px on a canvas and decoded by the native BarcodeDetector when
// the browser has one for QR codes, else by the barcode-detector package's
// ZXing WebAssembly engine, served by us.

const MAX_SIDE = 640;
let detector = null;
let stream = null;
let loop = 0;

async function makeDetector(wasmURL, ponyfillURL) {
  if (detector) return detector;
  if ("BarcodeDetector" in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) {
        detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return detector;
      }
    } catch (e) { /* fall through to the WebAssembly engine */ }
  }
  const mod = await import(ponyfillURL);
  try {
    await mod.prepareZXingModule({
      overrides: {
        locateFile: (path, prefix) => (path.endsWith(".wasm") ? new URL(wasmURL, location.href).href : prefix + path),
      },
      fireImmediately: true,
    });
  } catch (e) {
    throw new Error("engine");
  }
  detector = new mod.BarcodeDetector({ formats: ["qr_code"] });
  return detector;
}

export async function startCamera(video, { wasmURL, ponyfillURL, onCode }) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    const e = new Error("no camera API");
    e.name = window.isSecureContext ? "NotFoundError" : "SecurityError";
    throw e;
  }
  const det = await makeDetector(wasmURL, ponyfillURL);
  stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
  });
  video.srcObject = stream;
  video.setAttribute("playsinline", "");
  video.muted = true;
  await video.play().catch(() => {});
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  let busy = false;
  const tick = async () => {
    if (!stream) return;
    if (!busy && video.readyState >= 2 && video.videoWidth) {
      busy = true;
      try {
        const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        const found = await det.detect(canvas);
        if (found.length && found[0].rawValue) onCode(found[0].rawValue);
      } catch (e) {
        /* a bad frame: try the next one */
      } finally {
        busy = false;
      }
    }
    loop = setTimeout(tick, 80);
  };
  tick();
}

export function stopCamera(video) {
  clearTimeout(loop);
  if (stream) for (const tr of stream.getTracks()) tr.stop();
  stream = null;
  video.srcObject = null;
}
