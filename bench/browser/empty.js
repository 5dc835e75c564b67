// Stands in for the Node built-ins tfjs-backend-wasm's module imports (it only uses them in Node).
export default {};
