// The title of every vendor's test push (VendorModule.testRequest, certificates/test-notification.ts).
export const TEST_TITLE = 'Pushline test';
