export const handler = async (event) => ({ statusCode: 201, body: event.body });
