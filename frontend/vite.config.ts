import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  build: {
    // main.go embeds frontend/dist, so the folder is kept in git by dist/.gitkeep for the
    // Go module to compile before the first frontend build; public/.gitkeep puts it back
    // each time the build empties the folder.
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
  },
})
