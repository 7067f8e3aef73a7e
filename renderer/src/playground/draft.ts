/** Where the playground keeps its code between visits; the dataset browser puts an item's code there. */
export const PLAYGROUND_DRAFT_KEY = 'codepercept.playground.code';
