/**
 * The model host: a child process that loads one local model and answers the engine over the IPC channel
 * (protocol in hostProtocol.ts). It exists so that a native abort in llama.cpp (a malformed GGUF, a bad
 * projector) kills this process only; the engine sees the exit and reports it.
 */
import type { ChatRequest } from '../../api/models';
import { HOST_PROTOCOL_VERSION, hostRequestSchema } from './hostProtocol';
import type { HostReply } from './hostProtocol';
import { importLlamaNode } from './llamaNodeBinding';
import type { LocalRunner } from './localRunner';

function send(reply: HostReply): void {
  // The engine may already be gone (it killed us); there is nobody left to tell.
  if (process.connected) process.send?.(reply);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let runner: LocalRunner | null = null;
let loading = false;
const chats = new Map<string, AbortController>();
/** Undoes what the binding needs undone before the process can exit (llama.node's native log hook). */
let beforeExit: () => Promise<void> = () => Promise.resolve();

async function load(request: Extract<ReturnType<typeof hostRequestSchema.parse>, { type: 'load' }>) {
  if (runner || loading)
    throw new Error('This host already has a model; start another host for another model.');
  loading = true;
  const onProgress = (progress: number) => send({ type: 'progress', id: request.id, progress });
  try {
    if (request.engine === 'llama.node') {
      const { toggleNativeLog, addNativeLogListener } = await importLlamaNode();
      // Route llama.cpp's log through JS so only warnings and errors reach stderr (the engine keeps a tail
      // for crash reports); after enabling it the process cannot exit until it is disabled again.
      await toggleNativeLog(true);
      addNativeLogListener((level, text) => {
        if (level === 'error' || level === 'warn') process.stderr.write(text);
      });
      beforeExit = () => toggleNativeLog(false);
      const { loadLlamaNodeRunner } = await import('./llamaNodeRunner');
      runner = await loadLlamaNodeRunner(request.modelPath, request.mmprojPath, request.options, onProgress);
    } else {
      const { loadLlamaCppRunner } = await import('./llamaCppRunner');
      runner = await loadLlamaCppRunner(request.modelPath, request.options, onProgress);
    }
    send({ type: 'loaded', id: request.id, info: runner.info });
  } finally {
    loading = false;
  }
}

async function chat(id: string, request: ChatRequest) {
  if (!runner) throw new Error('No model is loaded in this host.');
  const controller = new AbortController();
  chats.set(id, controller);
  try {
    const result = await runner.chat(request, {
      signal: controller.signal,
      onToken: (text) => send({ type: 'token', id, text }),
    });
    send({ type: 'done', id, result });
  } finally {
    chats.delete(id);
  }
}

async function shutdown(code = 0): Promise<never> {
  for (const c of chats.values()) c.abort();
  try {
    await runner?.dispose();
    await beforeExit();
  } finally {
    process.exit(code);
  }
}

process.on('message', (raw: unknown) => {
  const parsed = hostRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : 'unknown';
    send({
      type: 'failed',
      id,
      message: `The model host ignored a malformed request: ${parsed.error.message}`,
    });
    return;
  }
  const request = parsed.data;
  const fail = (id: string) => (error: unknown) => send({ type: 'failed', id, message: messageOf(error) });
  switch (request.type) {
    case 'load':
      load(request).catch(fail(request.id));
      return;
    case 'chat':
      chat(request.id, request.request).catch(fail(request.id));
      return;
    case 'abort':
      chats.get(request.id)?.abort();
      return;
    case 'usage':
      (runner ? runner.vramBytes() : Promise.resolve(null))
        .then((vramBytes) =>
          send({ type: 'usage', id: request.id, memory: { rssBytes: process.memoryUsage.rss(), vramBytes } }),
        )
        .catch(fail(request.id));
      return;
    case 'fit':
      import('./fitEstimator')
        .then(({ estimateFit }) => estimateFit(request.modelPath, request.gpu, request.contextSize))
        .then((estimate) => send({ type: 'fit', id: request.id, estimate }))
        .catch(fail(request.id));
      return;
    case 'shutdown':
      void shutdown();
      return;
  }
});

// The engine went away (crashed or was killed): free the model and go too, never linger as an orphan.
process.on('disconnect', () => void shutdown());

send({ type: 'ready', protocol: HOST_PROTOCOL_VERSION, pid: process.pid });
