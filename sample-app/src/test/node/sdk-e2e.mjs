// Runs the official openai and dedalus-labs SDKs, unchanged, against the sample app's
// OpenAI-compatible endpoint. Usage: node sdk-e2e.mjs http://localhost:PORT
// Prints one JSON line per scenario; the Java test (SdkEndToEndTests) checks them.
import OpenAI from 'openai';
import Dedalus from 'dedalus-labs';

const base = process.argv[2];
const report = (result) => console.log(JSON.stringify(result));
const messages = [{ role: 'user', content: 'What do you think of artificial intelligence?' }];

// The browser's own credential: the endpoint must ignore it and use the server's key.
const openai = new OpenAI({ baseURL: base + '/dedalus/v1', apiKey: 'browser-token-not-a-dedalus-key', maxRetries: 0 });

// 1. Stream text with the OpenAI SDK.
{
  const stream = await openai.chat.completions.create({ model: 'openai/gpt-5-nano', messages, stream: true });
  let text = '';
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  report({ scenario: 'openai-stream', text });
}

// 2. Accumulate a streamed tool call with the SDK's own stream helper.
{
  const runner = openai.chat.completions.stream({
    model: 'openai/gpt-5-nano',
    messages: [{ role: 'user', content: 'What is the weather in Dublin?' }],
    tools: [{
      type: 'function',
      function: {
        name: 'get_weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    }],
  });
  const final = await runner.finalChatCompletion();
  const call = final.choices[0].message.tool_calls[0];
  report({ scenario: 'openai-tool-call', name: call.function.name, arguments: call.function.arguments,
    finishReason: final.choices[0].finish_reason });
}

// 3. A refused request arrives as the SDK's BadRequestError.
{
  try {
    await openai.chat.completions.create({ model: 'mistral/large', messages, stream: true });
    report({ scenario: 'openai-bad-request', error: 'none' });
  }
  catch (error) {
    report({ scenario: 'openai-bad-request', error: error.constructor.name,
      badRequest: error instanceof OpenAI.BadRequestError, status: error.status, message: error.message });
  }
}

// 4. Abort a stream midway with an AbortController.
{
  const controller = new AbortController();
  const stream = await openai.chat.completions.create({ model: 'openai/gpt-5-nano', messages, stream: true },
    { signal: controller.signal });
  let chunks = 0;
  try {
    for await (const chunk of stream) {
      chunks++;
      if (chunks === 3) {
        controller.abort();
      }
    }
  }
  catch (error) {
    // the SDK reports the abort as an error
  }
  report({ scenario: 'openai-abort', chunks });
}

// 5. Stream text with the Dedalus SDK (its base URL has no /v1).
{
  const dedalus = new Dedalus({ baseURL: base + '/dedalus', apiKey: 'browser-token-not-a-dedalus-key', maxRetries: 0 });
  const stream = await dedalus.chat.completions.create({ model: 'openai/gpt-5-nano', messages, stream: true });
  let text = '';
  for await (const chunk of stream) {
    text += chunk.choices?.[0]?.delta?.content ?? '';
  }
  report({ scenario: 'dedalus-stream', text });
}
