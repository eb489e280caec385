// Express 4 is installed under the alias "express4" beside Express 5; its API is the one typed for express.
declare module 'express4' {
  import express from 'express';
  export default express;
}
